// The mission's seven targets (analysis/report/scorecard.hpp, docs/metrics.md "Scorecard"):
// judged on M/M/c organisations whose answers are known, and on the default organisation
// against the figures the Summary already holds.
#include "analysis/report/report.hpp"
#include "analysis/report/scorecard.hpp"
#include "analysis/report/summary.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

namespace {

using namespace supportsim;
using analysis::Verdict;

analysis::Summary run(const scenarios::Scenario &s, std::uint32_t replications = 3) {
  analysis::RunOptions options;
  options.replications = replications;
  options.seed = 11;
  options.jobs = 2;
  return analysis::Summary(analysis::run_experiment(s, options));
}

const analysis::ScorecardTarget &target(const analysis::Summary &s, const std::string &key) {
  for (const analysis::ScorecardTarget &t : s.scorecard.targets)
    if (t.key == key) return t;
  FAIL("no target " << key);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("scorecard: seven targets in order, judged on an M/M/c with known answers",
          "[scorecard]") {
  // 10 agents, 6 cases an hour of 30 minutes each: offered load 3, utilisation 0.3; every case
  // is P4 with a first-response target of 60 minutes, which nearly every case meets.
  const analysis::Summary s = run(testing::mmc_scenario(10, 6, 30, 0, 2, 60));
  REQUIRE(s.scorecard.targets.size() == 7);
  const char *keys[] = {"sla_p1_p2",
                        "sla_p3_p4",
                        "utilisation",
                        "forecast_variance",
                        "cost_per_resolved_trend",
                        "regional_consistency",
                        "cases_per_month"};
  for (std::size_t i = 0; i < 7; ++i)
    CHECK(s.scorecard.targets[i].key == keys[i]);

  // No P1 or P2 case: nothing to judge, and the note says why.
  const auto &urgent = target(s, "sla_p1_p2");
  CHECK(urgent.verdict == Verdict::not_judged);
  CHECK(urgent.note == "no cases of it in the window");
  REQUIRE(urgent.lines.size() == 4); // Global P1, P2; all P1, P2
  CHECK(urgent.lines[0].region == "Global");
  CHECK(urgent.lines[0].label == "P1");
  CHECK(urgent.lines[3].region == "all");

  // P4 met (P3 has no case and does not count against it).
  const auto &backlog = target(s, "sla_p3_p4");
  CHECK(backlog.verdict == Verdict::met);
  CHECK(backlog.lines[1].label == "P4");
  CHECK(backlog.lines[1].verdict == Verdict::met);
  CHECK(backlog.lines[1].value.mean > 0.99);
  CHECK(backlog.lines[1].goal == 0.90);
  CHECK(backlog.lines[0].verdict == Verdict::not_judged);

  // Utilisation 0.3 against 0.85: a miss, with the figure's half-width.
  const auto &util = target(s, "utilisation");
  CHECK(util.verdict == Verdict::miss);
  REQUIRE(util.lines.size() == 2);
  CHECK(util.lines[1].value.mean == Approx(0.3).margin(0.03));
  CHECK(util.lines[1].value.half_width > 0);
  CHECK(util.lines[1].goal == 0.85);

  // One region: no spread to judge.
  const auto &consistency = target(s, "regional_consistency");
  CHECK(consistency.verdict == Verdict::not_judged);
  CHECK(consistency.note == "fewer than two regions with a value");
  CHECK(consistency.lines.size() == 5);

  // 6 an hour for a month of 30.4375 days is 4383 cases: a miss against 10,000.
  const auto &volume = target(s, "cases_per_month");
  CHECK(volume.verdict == Verdict::miss);
  REQUIRE(volume.lines.size() == 1);
  CHECK(volume.lines[0].region == "all");
  CHECK(volume.lines[0].value.mean == Approx(6 * 24 * 30.4375).epsilon(0.05));
  CHECK(volume.lines[0].goal == 10000);

  // No per-month cost yet.
  CHECK(target(s, "cost_per_resolved_trend").verdict == Verdict::not_judged);
}

TEST_CASE("scorecard: enough cases a month is met; the variance line is the largest row",
          "[scorecard]") {
  // 15 an hour is 10,958 cases a month.
  const analysis::Summary s = run(testing::mmc_scenario(12, 15, 30, 0, 2, 60));
  const auto &volume = target(s, "cases_per_month");
  CHECK(volume.verdict == Verdict::met);
  CHECK(volume.lines[0].value.mean == Approx(15 * 24 * 30.4375).epsilon(0.05));

  // The variance target reads the variance report: its largest |variance| and its flags.
  double largest = 0;
  std::size_t flagged = 0;
  for (const analysis::VarianceRow &row : s.variance.rows) {
    if (std::isnan(row.variance)) continue;
    if (std::abs(row.variance) > std::abs(largest)) largest = row.variance;
    flagged += row.flagged;
  }
  const auto &variance = target(s, "forecast_variance");
  REQUIRE(variance.lines.size() == 2);
  CHECK(variance.lines[1].region == "all");
  CHECK(variance.lines[1].value.mean == largest);
  CHECK(std::isnan(variance.lines[1].value.half_width));
  CHECK(variance.lines[1].goal == s.run.scenario.sla.forecast_variance_max);
  CHECK(variance.verdict == (flagged == 0 ? Verdict::met : Verdict::miss));
}

TEST_CASE("scorecard: goals come from the scenario", "[scorecard]") {
  scenarios::Scenario scenario = testing::mmc_scenario(10, 6, 30, 0, 1, 60);
  scenario.sla.attainment_target[models::index_of(models::Priority::p4)] = 0.999999;
  scenario.sla.utilisation_target = 0.25;
  const analysis::Summary s = run(scenario, 2);
  const auto &backlog = target(s, "sla_p3_p4");
  CHECK(backlog.lines[1].goal == 0.999999);
  CHECK(target(s, "utilisation").verdict == Verdict::met);
  CHECK(analysis::format_scorecard_goal(backlog) == "≥ 90%/99.9999%");
}

TEST_CASE("scorecard: on the default organisation, the spread is the table's and the verdicts "
          "read in the table",
          "[scorecard]") {
  scenarios::Scenario scenario = scenarios::default_scenario();
  scenario.organisation.horizon = scenario.warmup + sim::Duration::days(14);
  const analysis::Summary s = run(scenario, 2);
  const auto &consistency = target(s, "regional_consistency");
  REQUIRE(consistency.lines.size() == s.spread.size());
  for (std::size_t i = 0; i < s.spread.size(); ++i) {
    CHECK(consistency.lines[i].label == s.spread[i].figure);
    CHECK(consistency.lines[i].value.mean == s.spread[i].cv);
    CHECK(consistency.lines[i].verdict == (s.spread[i].above_goal ? Verdict::miss : Verdict::met));
  }
  // Per region then the organisation, P1 and P2 each: the Summary's own checks.
  const auto &urgent = target(s, "sla_p1_p2");
  REQUIRE(urgent.lines.size() == 2 * (s.region_count() + 1));
  CHECK(urgent.lines[2].region == "EMEA");
  CHECK(urgent.lines[2].value.mean == s.sla[1][0].value.mean);

  const std::string table = analysis::render_table(s, "test");
  CHECK(table.find("\ntargets  ") != std::string::npos);
  CHECK(table.find("cannot be judged: no cost or") != std::string::npos);
  for (const auto &line : [&] {
         std::vector<std::string> lines;
         for (std::size_t at = 0; at < table.size();) {
           const std::size_t end = table.find('\n', at);
           lines.push_back(table.substr(at, end - at));
           at = end + 1;
         }
         return lines;
       }())
    CHECK(line.size() <= 100 + 2 * 8); // a few multi-byte characters (≥, ±, ·)
}

TEST_CASE("scorecard: a target misses if any line misses, is met if one is met, else not judged",
          "[scorecard]") {
  using analysis::ScorecardLine;
  auto line = [](Verdict v) {
    ScorecardLine l;
    l.verdict = v;
    return l;
  };
  CHECK(analysis::overall_verdict({}) == Verdict::not_judged);
  CHECK(analysis::overall_verdict({line(Verdict::not_judged), line(Verdict::met)}) == Verdict::met);
  CHECK(analysis::overall_verdict(
            {line(Verdict::met), line(Verdict::miss), line(Verdict::not_judged)}) == Verdict::miss);
  CHECK(analysis::overall_verdict({line(Verdict::not_judged)}) == Verdict::not_judged);
}

TEST_CASE("scorecard: scorecard.csv has one row per line", "[scorecard]") {
  const analysis::Summary s = run(testing::mmc_scenario(10, 6, 30, 0, 1, 60), 2);
  const std::string csv = analysis::render_scorecard_csv(s.scorecard);
  std::size_t rows = 0, lines = 0;
  for (char c : csv)
    rows += c == '\n';
  for (const auto &t : s.scorecard.targets)
    lines += t.lines.size();
  CHECK(rows == 1 + lines);
  CHECK(csv.rfind("target,title,region,label,unit,comparison,goal,value_mean,value_ci95,verdict,"
                  "target_verdict,note\n",
                  0) == 0);
  CHECK(csv.find("\ncases_per_month,cases per month,all,,cases,at_least,10000,") !=
        std::string::npos);
}
