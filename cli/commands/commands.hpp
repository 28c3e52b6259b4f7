#pragma once

// The commands of supportsim, one file each in this folder (run.cpp has run_command). Each
// takes the arguments after its name, returns the exit code, and throws a
// scenarios::InputError (a UsageError for the command line itself) for bad input; main()
// prints it and exits 2. Adding a command: its file here, its line below, and its line in
// main.cpp's table.

#include "cli/options.hpp"

namespace supportsim::cli {

int run_command(const Arguments &args);
int forecast_command(const Arguments &args);
int plan_command(const Arguments &args);
int sweep_command(const Arguments &args);
int merge_command(const Arguments &args);
int synth_command(const Arguments &args);
int fit_command(const Arguments &args);
int validate_command(const Arguments &args);
int show_command(const Arguments &args);
int schema_command(const Arguments &args);
int calibrate_command(const Arguments &args);
int backtest_command(const Arguments &args);

} // namespace supportsim::cli
