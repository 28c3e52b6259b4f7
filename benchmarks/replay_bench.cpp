// Reading a replayed export: a native arrivals file of 1,000,000 rows (every column filled, as
// `supportsim synth` writes it), parsed and resolved against the default organisation by the
// streaming reader that `run --arrivals` uses.
#include "scenarios/arrivals.hpp"
#include "scenarios/scenario.hpp"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace supportsim;

/// A file removed when the benchmark program ends.
struct TemporaryFile {
  std::string path;
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

/// A million rows in a temporary file, written once.
const std::string &native_file() {
  static const TemporaryFile file{[] {
    const std::string p = (std::filesystem::temp_directory_path() /
                           ("supportsim_replay_bench_" + std::to_string(::getpid()) + ".csv"))
                              .string();
    std::ofstream out(p, std::ios::binary);
    scenarios::write_native_header(out);
    const char *regions[] = {"AMER", "EMEA", "APJC"};
    const char *products[] = {"DNS", "CDN", "WAF", "Zero Trust", "Workers", "Billing"};
    const char *languages[] = {"en", "de", "fr", "es", "pt", "ja"};
    const sim::UtcTime start = sim::parse_utc("2027-01-04");
    for (int i = 0; i < 1'000'000; ++i) {
      const std::string id = std::to_string(i);
      scenarios::write_native_row(
          out, {.case_id = id,
                .created = start + std::chrono::microseconds(std::int64_t{i} * 7'777'777),
                .region = regions[i % 3],
                .priority = static_cast<models::Priority>(i % 4),
                .channel = static_cast<models::Channel>(i % 3),
                .segment = static_cast<models::Segment>(i % 4),
                .product = products[i % 6],
                .language = languages[i % 3 == 2 ? 5 : i % 5],
                .account = {},
                .seed = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(i)});
    }
    return p;
  }()};
  return file.path;
}

void BM_ReplayNativeMillionRows(benchmark::State &state) {
  const std::string &path = native_file();
  const models::OrganisationConfig organisation = scenarios::default_scenario().organisation;
  const scenarios::ArrivalsMapping mapping =
      scenarios::arrivals_preset(scenarios::ArrivalsFormat::native);
  std::uint64_t rows = 0;
  for (auto _ : state) {
    scenarios::ArrivalsReader reader(path, organisation, mapping);
    models::ReplayedCase c;
    while (reader.next(c))
      ++rows;
    benchmark::DoNotOptimize(c.seed);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_ReplayNativeMillionRows)->Unit(benchmark::kMillisecond)->UseRealTime();
