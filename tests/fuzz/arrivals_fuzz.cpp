// Fuzz target: the case-export reader in every format and with every reading option, history
// columns included. The first two bytes choose how the rest is read:
//   byte 0 % 5: 0 native, 1 salesforce, 2 zendesk, 3 acd, 4 a mapping file: the rest is the
//               mapping (JSON), the separator "\n==CSV==\n", then the export;
//   byte 1:     bit 0 sort, bit 1 skip bad rows, bits 2-3 the time zone of naive timestamps
//               (none, UTC, Europe/London, America/Los_Angeles).
// Every row is read as a replay reads it, with its history, case number and the warnings.
#include "fuzz_support.hpp"
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace supportsim;

namespace {

const scenarios::Scenario &scenario() {
  static const scenarios::Scenario s = scenarios::default_scenario();
  return s;
}

constexpr std::array<std::string_view, 4> time_zones{"", "UTC", "Europe/London",
                                                     "America/Los_Angeles"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size < 2) return 0;
  static const fuzz::ScratchFile export_file("export.csv");
  const unsigned format = data[0] % 5, flags = data[1];
  const std::string_view rest = fuzz::as_text(data + 2, size - 2);
  fuzz::expect_only_input_errors([&] {
    scenarios::ArrivalsMapping mapping;
    std::string_view csv = rest;
    if (format < 4) {
      mapping = scenarios::arrivals_preset(static_cast<scenarios::ArrivalsFormat>(format));
    } else {
      const auto [json, after] = fuzz::split_once(rest, "\n==CSV==\n");
      mapping = scenarios::parse_arrivals_mapping(json, "fuzz-mapping.json");
      csv = after;
    }
    const scenarios::ArrivalsOptions options{
        .time_zone = std::string(time_zones[(flags >> 2) & 3u]),
        .skip_bad_rows = (flags & 2u) != 0,
        .sort = (flags & 1u) != 0,
    };
    scenarios::ArrivalsReader reader(export_file.write(csv), scenario().organisation, mapping,
                                     options);
    // Every accessor a replay, calibrate or backtest uses after each row and at the end (they
    // live in arrivals.cpp, so the calls are not optimised away).
    models::ReplayedCase row;
    while (reader.next(row)) {
      static_cast<void>(reader.case_id());
      static_cast<void>(reader.history());
      static_cast<void>(reader.has_outcomes());
    }
    static_cast<void>(reader.unreplayable_warning());
    static_cast<void>(reader.bad_row_messages());
  });
  return 0;
}
