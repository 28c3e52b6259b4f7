#include "cli/case_export.hpp"

#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

po::options_description export_options() {
  po::options_description options("Reading a case export");
  options.add_options()(
      "arrivals-format", po::value<std::string>()->value_name("NAME"),
      "native, salesforce, zendesk or acd (a call-detail-record export); default: the one "
      "whose creation column the header has, else native")(
      "map", po::value<std::string>()->value_name("FILE"),
      "a mapping file (JSON) for any other export, instead of --arrivals-format")(
      "time-zone", po::value<std::string>()->value_name("ZONE"),
      "IANA time zone of timestamps without an offset, e.g. Europe/London")(
      "date-format", po::value<std::string>()->value_name("FORMAT"),
      "how the file writes its times when neither ISO 8601 nor US (10/5/2025 9:12 AM): "
      "strftime's %Y %y %m %d %b %H %I %M %S %f %p %z %T, e.g. '%d/%m/%Y %H:%M'")(
      "skip-bad-rows", "count and report bad rows instead of stopping at the first")(
      "sort", "accept rows in any order (reads the whole file into memory to sort it)");
  return options;
}

std::pair<scenarios::ArrivalsMapping, scenarios::ArrivalsOptions>
export_reading(const po::variables_map &vm, const std::string &path) {
  if (vm.count("map") && vm.count("arrivals-format"))
    throw UsageError("--map and --arrivals-format: give one or the other");
  scenarios::ArrivalsMapping mapping;
  if (vm.count("map")) {
    mapping = scenarios::load_arrivals_mapping(vm["map"].as<std::string>());
  } else {
    std::string name =
        vm.count("arrivals-format") ? vm["arrivals-format"].as<std::string>() : "native";
    if (!vm.count("arrivals-format")) {
      // No format named: the one whose creation column the header has, when one alone has it
      // (otherwise native, whose error names the formats the columns look like).
      const auto fitting = scenarios::arrivals_formats_fitting(scenarios::read_csv_header(path));
      if (fitting.size() == 1 && fitting[0] != scenarios::ArrivalsFormat::native) {
        name = scenarios::arrivals_format_names[static_cast<std::size_t>(fitting[0])];
        std::cerr << fmt::format("supportsim: {}: read as a {} export (its header fits "
                                 "--arrivals-format {} alone)\n",
                                 path, name, name);
      } else if (fitting.size() > 1 && fitting[0] != scenarios::ArrivalsFormat::native) {
        std::string names;
        for (const auto format : fitting)
          names += fmt::format("{}{}", names.empty() ? "" : ", ",
                               scenarios::arrivals_format_names[static_cast<std::size_t>(format)]);
        throw UsageError(fmt::format("{}: its header fits several formats ({}): give one with "
                                     "--arrivals-format",
                                     path, names));
      }
    }
    const auto format = scenarios::arrivals_format_named(name);
    if (!format)
      throw UsageError(fmt::format(
          "--arrivals-format: expected native, salesforce, zendesk or acd, found \"{}\"", name));
    mapping = scenarios::arrivals_preset(*format);
  }
  scenarios::ArrivalsOptions options;
  if (vm.count("time-zone")) options.time_zone = vm["time-zone"].as<std::string>();
  if (vm.count("date-format")) {
    options.date_format = vm["date-format"].as<std::string>();
    if (const std::string problem = scenarios::arrivals_date_format_problem(options.date_format);
        !problem.empty())
      throw UsageError(fmt::format("--date-format '{}': {}", options.date_format, problem));
  }
  options.skip_bad_rows = vm.count("skip-bad-rows") > 0;
  options.sort = vm.count("sort") > 0;
  return {mapping, options};
}

void report_bad_rows(const std::string &path, const scenarios::ArrivalsReader &reader) {
  if (reader.bad_rows() == 0) return;
  std::string warning =
      fmt::format("{}: skipped {} bad row{} of {}; the first:", path, reader.bad_rows(),
                  reader.bad_rows() == 1 ? "" : "s", reader.bad_rows() + reader.cases_read());
  for (const std::string &message : reader.bad_row_messages())
    warning += "\n  " + message;
  print_warning(warning);
}

po::options_description history_options() {
  po::options_description options = export_options();
  options.add_options()("channel",
                        po::value<std::string>()->default_value("phone")->value_name("CHANNEL"),
                        "the channel of rows that give none: phone, chat or email");
  return options;
}

analysis::backtest::HistoryReadOptions history_reading(const po::variables_map &vm,
                                                       const std::string &path) {
  static constexpr std::string_view channels[] = {"phone", "chat", "email"};
  analysis::backtest::HistoryReadOptions reading;
  std::tie(reading.mapping, reading.arrivals) = export_reading(vm, path);
  const std::string name = choice(vm, "channel", channels);
  for (std::size_t c = 0; c < models::channel_count; ++c)
    if (models::channel_names[c] == name) reading.default_channel = static_cast<models::Channel>(c);
  return reading;
}

} // namespace supportsim::cli
