// `supportsim forecast`: the analytic capacity plan, per region and week or per local hour.
#include "analysis/forecast/capacity.hpp"
#include "analysis/output/output.hpp"
#include "cli/commands/commands.hpp"

#include <array>

namespace supportsim::cli {

namespace {

constexpr std::array<std::string_view, 2> intervals{"week", "hour"};

constexpr std::string_view usage =
    "Usage: supportsim forecast [SCENARIO.json] [options]\n\nThe analytic capacity plan a "
    "planner would make without simulating: per region and\nweek (or hour), Erlang C/A "
    "predictions of SLA attainment, waits and utilisation, the\nagents required to meet each "
    "priority's target, and a max-flow check of skills and\nlanguages (docs/forecast.md).\n\n";

po::options_description forecast_options() {
  po::options_description options = command_options("forecast");
  options.add_options()(
      "interval", po::value<std::string>()->default_value(std::string(intervals[0])),
      "week: the plan per region and week; hour: agents on duty against agents required per "
      "local weekday and hour")("out", po::value<std::string>()->value_name("DIR"),
                                "also write forecast.csv (weeks) and forecast-hours.csv (hours) "
                                "into DIR (created if needed; both files or none)");
  return options;
}

/// `supportsim forecast`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string interval = choice(vm, "interval", intervals);
  const scenarios::Scenario scenario = scenario_argument(vm, "forecast");
  print_warnings(scenario);
  const std::optional<std::string> out = output_folder(vm);
  const analysis::CapacityForecast weeks = analysis::forecast_capacity(scenario);
  // The hourly forecast costs seconds (an Erlang search per region and hour): only on demand.
  const std::vector<analysis::RegionHourForecast> hours =
      interval == "hour" || out ? analysis::forecast_hours(scenario)
                                : std::vector<analysis::RegionHourForecast>{};
  if (out)
    analysis::write_result_set(
        *out, {{"forecast.csv", analysis::render_forecast_csv(weeks, scenario)},
               {"forecast-hours.csv", analysis::render_forecast_hours_csv(hours, scenario)}});
  print_stdout(interval == "week" ? analysis::render_forecast_table(weeks, scenario)
                                  : analysis::render_staffing_table(hours, scenario));
  return exit_ok;
}

} // namespace

int forecast_command(const Arguments &args) {
  return run_with_options(args, forecast_options(), usage, command);
}

} // namespace supportsim::cli
