// results.xlsx (analysis/report/workbook.hpp): made from the run's own CSV text, its columns
// formatted by name, and the same bytes for the same run. That every cell equals the CSV's is
// checked by reading the workbook back with openpyxl (tests/python/test_workbook.py).
#include "analysis/report/report.hpp"
#include "analysis/report/scorecard.hpp"
#include "analysis/report/summary.hpp"
#include "analysis/report/workbook.hpp"
#include "analysis/variance/variance.hpp"
#include "tests/support/files.hpp"
#include "tests/support/scenarios.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace {

using namespace supportsim;
using analysis::ColumnKind;

const analysis::Summary &small_run() {
  static const analysis::Summary summary = [] {
    analysis::RunOptions options;
    options.replications = 2;
    options.seed = 3;
    return analysis::Summary(
        analysis::run_experiment(testing::mmc_scenario(4, 6, 30, 20, 1, 60), options));
  }();
  return summary;
}

analysis::NamedFiles csv_files(const analysis::Summary &s) {
  return {{"agents.csv", analysis::render_agents_csv(s.run)},
          {"intervals.csv", analysis::render_intervals_csv(s.run)},
          {"variance.csv", analysis::render_variance_csv(s.variance, s.run)},
          {"scorecard.csv", analysis::render_scorecard_csv(s.scorecard)}};
}

} // namespace

TEST_CASE("workbook: a column's kind comes from its name", "[workbook]") {
  CHECK(analysis::column_kind("start_utc") == ColumnKind::time);
  CHECK(analysis::column_kind("interval_start_local") == ColumnKind::time);
  CHECK(analysis::column_kind("sla_attainment_mean") == ColumnKind::share);
  CHECK(analysis::column_kind("sla_attainment_ci95") == ColumnKind::share);
  CHECK(analysis::column_kind("abandonment") == ColumnKind::share);
  CHECK(analysis::column_kind("escalation_rate_mean") == ColumnKind::share);
  CHECK(analysis::column_kind("p_wait_zero") == ColumnKind::share);
  CHECK(analysis::column_kind("sl_20s") == ColumnKind::share);
  CHECK(analysis::column_kind("variance") == ColumnKind::change);
  CHECK(analysis::column_kind("asa_minutes_mean") == ColumnKind::minutes);
  CHECK(analysis::column_kind("paid_hours_ci95") == ColumnKind::hours);
  CHECK(analysis::column_kind("mean_wait_queued_seconds") == ColumnKind::seconds);
  CHECK(analysis::column_kind("cost_per_resolved_mean") == ColumnKind::money);
  CHECK(analysis::column_kind("offered_mean") == ColumnKind::count);
  CHECK(analysis::column_kind("headcount") == ColumnKind::count);
  CHECK(analysis::column_kind("region") == ColumnKind::text);
  CHECK(analysis::column_kind("week") == ColumnKind::number);
  CHECK(analysis::column_kind("sla_mystery") == ColumnKind::number);
}

TEST_CASE("workbook: six sheets from the run's files, intervals.csv split by grain", "[workbook]") {
  const analysis::NamedFiles files = csv_files(small_run());
  const auto sheets = analysis::workbook_sheets(files);
  REQUIRE(sheets.size() == 6);
  const char *names[] = {"Scorecard", "Intervals", "Daily", "Weekly", "Agents", "Variance"};
  for (std::size_t i = 0; i < 6; ++i)
    CHECK(sheets[i].name == names[i]);
  CHECK(sheets[1].csv_name == "intervals.csv");
  CHECK(sheets[1].filter_value == "hour");
  CHECK(sheets[2].filter_value == "day");
  CHECK(sheets[3].filter_value == "week");
  CHECK(sheets[0].csv.data() == files[3].second.data()); // the very text written, not a copy

  // Where the run writes files per grain, the sheets are those files.
  analysis::NamedFiles split = files;
  split.emplace_back("intervals_15m.csv", "region\nEMEA\n");
  split.emplace_back("daily.csv", "region\nEMEA\n");
  split.emplace_back("weekly.csv", "region\nEMEA\n");
  const auto tidy = analysis::workbook_sheets(split);
  CHECK(tidy[1].csv_name == "intervals_15m.csv");
  CHECK(tidy[1].filter_column.empty());
  CHECK(tidy[2].csv_name == "daily.csv");
  CHECK(tidy[3].csv_name == "weekly.csv");
}

TEST_CASE("workbook: the same run gives the same bytes, whenever it is written", "[workbook]") {
  const analysis::NamedFiles files = csv_files(small_run());
  const std::string first =
      analysis::render_workbook(analysis::workbook_sheets(files), small_run());
  // Past a second, so a creation time taken from the clock would show.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string second =
      analysis::render_workbook(analysis::workbook_sheets(files), small_run());
  REQUIRE(first.size() > 4000);
  CHECK(first.compare(0, 4, "PK\x03\x04") == 0); // a zip container
  CHECK(first == second);
}

TEST_CASE("workbook: run --out writes results.xlsx beside the CSV files, byte-identical for the "
          "same seed",
          "[workbook][cli]") {
  const testing::TempDir dir;
  const std::string scenario =
      std::string(SUPPORTSIM_SOURCE_DIR) + "/tests/scenarios/good/three_regions_week.json";
  for (const char *out : {"a", "b"}) {
    const std::string command = testing::quote(SUPPORTSIM_CLI) + " run " +
                                testing::quote(scenario) + " --replications 2 --seed 7 --out " +
                                testing::quote((dir.path() / out).string()) + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  const std::string a = testing::read_text(dir.path() / "a" / "results.xlsx");
  REQUIRE(a.size() > 4000);
  CHECK(a == testing::read_text(dir.path() / "b" / "results.xlsx"));
  CHECK(std::filesystem::exists(dir.path() / "a" / "scorecard.csv"));
}
