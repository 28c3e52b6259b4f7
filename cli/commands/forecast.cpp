// `supportsim forecast`: the analytic capacity plan, per region and week or per local hour.
#include "analysis/forecast/capacity.hpp"
#include "analysis/output/output.hpp"
#include "cli/commands/commands.hpp"

#include <array>
#include <fmt/format.h>

namespace supportsim::cli {

namespace {

constexpr std::array<std::string_view, 6> intervals{"week", "hour", "15", "30", "60", "day"};

constexpr std::string_view usage =
    "Usage: supportsim forecast [SCENARIO.json] [options]\n\nThe analytic capacity plan a "
    "planner would make without simulating: per region and\nweek (or interval), Erlang C/A "
    "predictions of SLA attainment, waits and utilisation, the\nagents required to meet each "
    "priority's target, and a max-flow check of skills and\nlanguages (docs/forecast.md).\n\n";

po::options_description forecast_options() {
  po::options_description options = command_options("forecast");
  options.add_options()(
      "interval", po::value<std::string>()->default_value(std::string(intervals[0])),
      "week: the plan per region and week; 15, 30 or 60: required agents per interval of "
      "each region's local time (the WFM requirement table), by weekday; day: the same per "
      "local day; hour: agents on duty against agents required per local weekday and hour")(
      "out", po::value<std::string>()->value_name("DIR"),
      "also write forecast.csv (weeks) and, by --interval, forecast-hours.csv (week, hour), "
      "forecast-intervals_<N>m.csv (15, 30, 60) or forecast-intervals_15m.csv and "
      "forecast-daily.csv (day) into DIR (created if needed; all files or none)");
  return options;
}

/// `supportsim forecast`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string interval = choice(vm, "interval", intervals);
  const scenarios::Scenario scenario = scenario_argument(vm, "forecast");
  print_warnings(scenario);
  const std::optional<std::string> out = output_folder(vm);
  const analysis::CapacityForecast weeks = analysis::forecast_capacity(scenario);
  analysis::NamedFiles files;
  if (out) files.push_back({"forecast.csv", analysis::render_forecast_csv(weeks, scenario)});
  std::string table;
  if (interval == "week" || interval == "hour") {
    // The hourly forecast costs seconds (an Erlang search per region and hour): only on demand.
    const std::vector<analysis::RegionHourForecast> hours =
        interval == "hour" || out ? analysis::forecast_hours(scenario)
                                  : std::vector<analysis::RegionHourForecast>{};
    if (out)
      files.push_back({"forecast-hours.csv", analysis::render_forecast_hours_csv(hours, scenario)});
    table = interval == "week" ? analysis::render_forecast_table(weeks, scenario)
                               : analysis::render_staffing_table(hours, scenario);
  } else {
    // Per local interval (a day: its 15-minute intervals summed).
    const int minutes = interval == "day" ? 15 : std::stoi(interval);
    const std::vector<analysis::RegionIntervalForecast> cells =
        analysis::forecast_intervals(scenario, minutes);
    if (out)
      files.push_back({fmt::format("forecast-intervals_{}m.csv", minutes),
                       analysis::render_requirement_csv(cells, scenario)});
    if (interval == "day") {
      const std::vector<analysis::DayRequirement> days = analysis::daily_requirements(cells);
      if (out)
        files.push_back(
            {"forecast-daily.csv", analysis::render_requirement_daily_csv(days, scenario)});
      table = analysis::render_requirement_daily_table(days, scenario);
    } else {
      table = analysis::render_requirement_table(cells, scenario, minutes);
    }
  }
  if (out) analysis::write_result_set(*out, files);
  print_stdout(table);
  return exit_ok;
}

} // namespace

int forecast_command(const Arguments &args) {
  return run_with_options(args, forecast_options(), usage, command);
}

} // namespace supportsim::cli
