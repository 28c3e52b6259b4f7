// `supportsim backtest` at the scale: a month of 30,000 calls (a single queue, staffing
// that follows the day by the hour) replayed against its staffing with each call's actual
// handle time, 30 replications on one thread, scored per hour.
#include "analysis/backtest/backtest.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>

namespace {

using namespace supportsim;

/// One queue in UTC: 30,000 calls a month, lognormal handle (mean 4 min), exponential patience
/// (mean 3 min), and agent k on duty in the hours of each day when the day curve needs more
/// than k agents.
scenarios::Scenario month() {
  scenarios::Scenario s;
  s.name = "month";
  s.source = "benchmark";
  models::OrganisationConfig &o = s.organisation;
  o.start = sim::parse_utc("2027-03-01");
  o.horizon = sim::Duration::days(30);
  o.products = {"general"};
  o.languages = {"en"};
  o.regions.push_back(models::RegionConfig{"Centre", "UTC", 1.0, {1.0}, {}, std::nullopt});
  o.sites.push_back(models::SiteConfig{"Centre", 0, "UTC", {}, 30.0});
  o.tiers.push_back(
      models::TierConfig{"L1", models::TierRole::front_line, std::nullopt, false, 0.0});
  models::AgentGroupConfig team;
  team.name = "agents";
  team.product_proficiency = {1.0};
  team.language_proficiency = {1.0};
  o.agent_groups.push_back(team);
  static constexpr double by_hour[24] = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0,
                                         1.6, 1.9, 2.0, 1.9, 1.7, 1.8, 1.9, 1.8,
                                         1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3};
  o.demand.cases_per_month = 30000 * 30.4375 / 30;
  std::copy(std::begin(by_hour), std::end(by_hour), o.demand.hourly_profile.begin());
  o.demand.product_mix = {1.0};
  o.demand.channel_mix = {1.0, 0.0, 0.0};
  o.lifecycle.work_minutes[0] = sim::Distribution::lognormal(4, 1);
  o.lifecycle.patience_minutes[0] = sim::Distribution::exponential(3);
  const double per_hour = 30000.0 / 30 / 24;
  for (std::uint32_t k = 0; k < 12; ++k)
    for (int d = 0; d < 30; ++d)
      for (int h = 0; h < 24; ++h)
        if (by_hour[h] * per_hour * 4 / 60 + 1 > k) // offered load + 1
          o.staffing.periods.push_back({0, k, o.start + std::chrono::hours(24 * d + h),
                                        o.start + std::chrono::hours(24 * d + h + 1)});
  std::sort(o.staffing.periods.begin(), o.staffing.periods.end(), [](const auto &a, const auto &b) {
    return std::tie(a.start, a.group, a.agent) < std::tie(b.start, b.group, b.agent);
  });
  return s;
}

void BM_BacktestMonth(benchmark::State &state) {
  scenarios::Scenario s = month();
  const analysis::backtest::History history =
      analysis::backtest::simulated_history(s.organisation, 1);
  s.organisation.actual_service = true;
  analysis::backtest::BacktestOptions options;
  options.replications = 30;
  options.jobs = 1;
  for (auto _ : state) {
    const auto result = analysis::backtest::run_backtest(s, history, options);
    benchmark::DoNotOptimize(result.score.overall.data());
  }
  state.counters["cases"] = static_cast<double>(history.cases.size());
}
BENCHMARK(BM_BacktestMonth)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

} // namespace
