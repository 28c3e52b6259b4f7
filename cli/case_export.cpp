#include "cli/case_export.hpp"

#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

po::options_description export_options() {
  po::options_description options("Reading a case export");
  options.add_options()(
      "arrivals-format", po::value<std::string>()->value_name("NAME"),
      "native (default), salesforce, zendesk or acd (a call-detail-record export)")(
      "map", po::value<std::string>()->value_name("FILE"),
      "a mapping file (JSON) for any other export, instead of --arrivals-format")(
      "time-zone", po::value<std::string>()->value_name("ZONE"),
      "IANA time zone of timestamps without an offset, e.g. Europe/London")(
      "skip-bad-rows", "count and report bad rows instead of stopping at the first")(
      "sort", "accept rows in any order (reads the whole file into memory to sort it)");
  return options;
}

std::pair<scenarios::ArrivalsMapping, scenarios::ArrivalsOptions>
export_reading(const po::variables_map &vm) {
  if (vm.count("map") && vm.count("arrivals-format"))
    throw UsageError("--map and --arrivals-format: give one or the other");
  scenarios::ArrivalsMapping mapping;
  if (vm.count("map")) {
    mapping = scenarios::load_arrivals_mapping(vm["map"].as<std::string>());
  } else {
    const std::string name =
        vm.count("arrivals-format") ? vm["arrivals-format"].as<std::string>() : "native";
    const auto format = scenarios::arrivals_format_named(name);
    if (!format)
      throw UsageError(fmt::format(
          "--arrivals-format: expected native, salesforce, zendesk or acd, found \"{}\"", name));
    mapping = scenarios::arrivals_preset(*format);
  }
  scenarios::ArrivalsOptions options;
  if (vm.count("time-zone")) options.time_zone = vm["time-zone"].as<std::string>();
  options.skip_bad_rows = vm.count("skip-bad-rows") > 0;
  options.sort = vm.count("sort") > 0;
  return {mapping, options};
}

void report_bad_rows(const std::string &path, const scenarios::ArrivalsReader &reader) {
  if (reader.bad_rows() == 0) return;
  std::cerr << fmt::format("supportsim: warning: {}: skipped {} bad row{} of {}; the first:\n",
                           path, reader.bad_rows(), reader.bad_rows() == 1 ? "" : "s",
                           reader.bad_rows() + reader.cases_read());
  for (const std::string &message : reader.bad_row_messages())
    std::cerr << "  " << message << '\n';
}

} // namespace supportsim::cli
