// Forecast variance (analysis/variance/variance.hpp, docs/metrics.md "Forecast variance"): about
// zero where the forecast is exact (M/M/c, M/M/c+M), and where it is not, flagged with the cause
// the model can name: a minimum-cut bottleneck, the hand-off gap, new hires on the learning curve,
// an incident window.
#include "analysis/variance/variance.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/scenarios.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>
#include <string>

namespace {

using namespace supportsim;
using analysis::VarianceFigure;

analysis::ExperimentResult simulate(const scenarios::Scenario &s, std::uint32_t replications) {
  analysis::RunOptions options;
  options.replications = replications;
  options.seed = 11;
  return analysis::run_experiment(s, options);
}

const analysis::VarianceRow &row(const analysis::VarianceReport &v, std::size_t region,
                                 std::size_t week, VarianceFigure figure) {
  const std::size_t weeks = v.week_starts.size();
  return v.rows.at((region * weeks + week) * analysis::variance_figure_count +
                   static_cast<std::size_t>(figure));
}

bool has_cause(const analysis::VarianceRow &r, const std::string &start) {
  for (const std::string &c : r.causes)
    if (c.rfind(start, 0) == 0) return true;
  return false;
}

std::string describe(const analysis::VarianceRow &r) {
  std::ostringstream out;
  out << analysis::variance_figure_names[static_cast<std::size_t>(r.figure)] << " week " << r.week
      << ": simulated " << r.simulated.mean << " forecast " << r.forecast << " variance "
      << r.variance << " causes";
  for (const std::string &c : r.causes)
    out << " [" << c << "]";
  return out.str();
}

} // namespace

TEST_CASE("variance: about zero on M/M/c where the forecast is Erlang C", "[variance]") {
  // 18 Erlangs on 20 agents for two weeks; every case P4 with a 3-minute target.
  const analysis::ExperimentResult result =
      simulate(testing::mmc_scenario(20, 108, 10, 0, 2, 3), 10);
  const analysis::VarianceReport v = analysis::forecast_variance(result);
  REQUIRE(v.week_starts.size() == 2);
  REQUIRE(v.rows.size() == 2 * analysis::variance_figure_count);
  CHECK(v.threshold == 0.10);
  CHECK(v.flagged == 0);
  for (const analysis::VarianceRow &r : v.rows) {
    INFO(describe(r));
    CHECK(r.simulated.n == 10);
    CHECK(std::abs(r.variance) < 0.04);
    CHECK_FALSE(r.flagged);
    CHECK(r.causes.empty());
  }
  // Volume and workload are the forecast's own arithmetic: cases x 10 minutes / 168 hours.
  const analysis::VarianceRow &volume = row(v, 0, 0, VarianceFigure::volume);
  CHECK(volume.forecast == Approx(108 * 168.0));
  CHECK(row(v, 0, 0, VarianceFigure::workload_fte).forecast == Approx(108 * 168.0 * 10 / 60 / 168));
  CHECK(row(v, 0, 0, VarianceFigure::utilisation).forecast == Approx(0.9));
}

TEST_CASE("variance: about zero on M/M/c+M where the forecast is Erlang A", "[variance]") {
  // Overloaded (22 Erlangs on 20 agents): patience keeps it stable; handled = not abandoned.
  const analysis::ExperimentResult result =
      simulate(testing::mmc_scenario(20, 132, 10, 5, 1, 3), 10);
  const analysis::VarianceReport v = analysis::forecast_variance(result);
  for (const VarianceFigure f :
       {VarianceFigure::volume, VarianceFigure::handled, VarianceFigure::sla}) {
    const analysis::VarianceRow &r = row(v, 0, 0, f);
    INFO(describe(r));
    CHECK(std::abs(r.variance) < 0.05);
  }
  // The forecast's utilisation is the offered load (1.1), which agents cannot exceed: flagged,
  // with the overload and the minimum cut named.
  const analysis::VarianceRow &u = row(v, 0, 0, VarianceFigure::utilisation);
  INFO(describe(u));
  CHECK(u.forecast == Approx(1.1));
  CHECK(u.variance < -0.10);
  CHECK(u.flagged);
  CHECK(has_cause(u, "forecast overloaded: the offered load is 110% of the region's servers"));
  CHECK(has_cause(u, "bottleneck (minimum cut): demand general/en, group team"));
}

TEST_CASE("variance: new hires on the learning curve are named", "[variance]") {
  // 10 experienced agents and 10 hired at the start who work three times slower at first.
  scenarios::Scenario s = testing::mmc_scenario(10, 54, 10, 0, 2, 60);
  s.organisation.agent_groups[0].hiring_plan.push_back(
      models::HiringConfig{std::chrono::year{2027} / 1 / 4, 10});
  s.organisation.experience.handle_time.at_hire = 3.0;
  s.organisation.experience.handle_time.time_constant_months = 6.0;
  const analysis::VarianceReport v = analysis::forecast_variance(simulate(s, 4));
  const analysis::VarianceRow &w = row(v, 0, 0, VarianceFigure::workload_fte);
  INFO(describe(w));
  CHECK(w.variance > 0.30); // half the agents take up to 3x as long
  REQUIRE(w.flagged);
  CHECK(has_cause(w, "new-hire ramp: 10 hires on the learning curve (handle time x3 at hire)"));
}

TEST_CASE("variance: the default scenario departs from the forecast with causes", "[variance]") {
  scenarios::Scenario s = scenarios::default_scenario();
  s.organisation.horizon = s.warmup + sim::Duration::days(28);
  const analysis::ExperimentResult result = simulate(s, 2);
  const analysis::VarianceReport v = analysis::forecast_variance(result);
  REQUIRE(v.regions == std::vector<std::string>{"AMER", "EMEA", "APJC"});
  REQUIRE(v.week_starts.size() == 4);
  CHECK(v.flagged > 0);
  // Every flagged row carries at least one cause on the default.
  std::size_t flagged = 0;
  for (const analysis::VarianceRow &r : v.rows) {
    if (!r.flagged) continue;
    ++flagged;
    INFO(v.regions[r.region] << " " << describe(r));
    CHECK_FALSE(r.causes.empty());
  }
  CHECK(flagged == v.flagged);
  // AMER: the per-region Erlang plan loads its own agents to 91 %, while follow-the-sun lets
  // other regions' agents take a quarter of its work: utilisation falls short of the forecast.
  const analysis::VarianceRow &u = row(v, 0, 1, VarianceFigure::utilisation);
  INFO(describe(u));
  CHECK(u.forecast > 0.85);
  CHECK(u.variance < -0.10);
  CHECK(has_cause(u, "hand-off gap: "));
  CHECK(has_cause(u, "escalation tier: "));
}

TEST_CASE("variance: an incident window is named in its week", "[variance]") {
  const scenarios::Scenario s =
      scenarios::load_scenario_file(SUPPORTSIM_SOURCE_DIR "/scenarios/major-incident.json");
  const analysis::VarianceReport v = analysis::forecast_variance(simulate(s, 2));
  REQUIRE(v.week_starts.size() == 1);
  std::size_t named = 0;
  for (const analysis::VarianceRow &r : v.rows)
    if (r.flagged) {
      INFO(v.regions[r.region] << " " << describe(r));
      CHECK(has_cause(r, "incident window: global-edge-outage from 2027-02-10T14:00"));
      ++named;
    }
  CHECK(named > 0);
}

TEST_CASE("variance: variance.csv has one row per region week and figure", "[variance]") {
  const analysis::ExperimentResult result =
      simulate(testing::mmc_scenario(20, 132, 10, 5, 2, 3), 2);
  const analysis::VarianceReport v = analysis::forecast_variance(result);
  const std::string csv = analysis::render_variance_csv(v, result);
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "region,week,week_start_utc,figure,forecast,simulated_mean,simulated_ci95,"
                "variance,flagged,causes");
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    if (rows == 1) CHECK(line.rfind("Global,1,2027-01-05T00:00:00Z,volume,22176,", 0) == 0);
    if (rows == 4) {
      INFO(line);
      CHECK(line.rfind("Global,1,2027-01-05T00:00:00Z,utilisation,1.1,", 0) == 0);
      // The causes are one quoted field: they hold commas.
      CHECK(line.find(",yes,\"bottleneck (minimum cut): demand general/en, group team; forecast "
                      "overloaded: the offered load is 110% of the region's servers\"") !=
            std::string::npos);
    }
  }
  CHECK(rows == 2 * analysis::variance_figure_count);
}
