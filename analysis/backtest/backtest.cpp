#include "analysis/backtest/backtest.hpp"

#include "analysis/backtest/recorder.hpp"
#include "analysis/run/experiment.hpp"
#include "models/support_model.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <chrono>
#include <span>
#include <stdexcept>

namespace supportsim::analysis::backtest {

namespace {

/// The history's cases, shared read-only by every replication (no copy of the file per thread).
class SharedReplay final : public models::CaseReplay {
public:
  explicit SharedReplay(std::span<const models::ReplayedCase> cases) : cases_(cases) {}
  bool next(models::ReplayedCase &out) override {
    if (at_ == cases_.size()) return false;
    out = cases_[at_++];
    return true;
  }

private:
  std::span<const models::ReplayedCase> cases_;
  std::size_t at_ = 0;
};

} // namespace

std::vector<const date::time_zone *> region_zones(const models::OrganisationConfig &o) {
  std::vector<const date::time_zone *> zones;
  for (const models::RegionConfig &r : o.regions)
    zones.push_back(sim::find_zone(r.time_zone));
  return zones;
}

std::pair<sim::UtcTime, sim::UtcTime> history_window(const History &history, int interval_minutes) {
  if (history.outcomes.empty())
    throw std::invalid_argument(history.source + ": no case to backtest");
  auto [first, last] = std::minmax_element(
      history.outcomes.begin(), history.outcomes.end(),
      [](const CaseOutcome &a, const CaseOutcome &b) { return a.queued < b.queued; });
  const auto step = std::chrono::minutes(interval_minutes);
  const sim::UtcTime start = std::chrono::floor<std::chrono::hours>(first->queued);
  // Whole UTC intervals: the last one holds the last case.
  const sim::UtcTime end = start + ((last->queued - start) / step + 1) * step;
  return {start, end};
}

std::vector<AgentSpan> staffed_spans(const models::OrganisationConfig &o) {
  std::vector<AgentSpan> spans;
  spans.reserve(o.staffing.periods.size());
  for (const models::StaffedPeriod &p : o.staffing.periods) {
    const models::SiteConfig &site = o.sites[o.agent_groups[p.group].site];
    spans.push_back({p.start, p.end, static_cast<std::uint8_t>(site.region), false});
  }
  return spans;
}

BacktestResult run_backtest(const scenarios::Scenario &scenario, const History &history,
                            const BacktestOptions &options) {
  BacktestResult result;
  result.options = options;
  result.cases = history.cases.size();
  result.actual_service = scenario.organisation.actual_service;
  const auto [start, end] = history_window(history, options.interval_minutes);

  scenarios::Scenario run = scenario;
  run.warmup = sim::Duration::from_ticks(0);
  run.organisation.start = start;
  run.organisation.horizon = sim::Duration::from_ticks((end - start).count()) + options.drain;

  for (const models::RegionConfig &r : run.organisation.regions)
    result.regions.push_back(r.name);
  result.figures = figure_names(options.figures);
  result.grid = std::make_unique<IntervalGrid>(start, end, options.interval_minutes,
                                               region_zones(run.organisation));
  result.actual = std::make_unique<Figures>(*result.grid, options.figures);
  std::vector<AgentSpan> actual_spans = staffed_spans(run.organisation);
  actual_spans.insert(actual_spans.end(), history.work.begin(), history.work.end());
  result.actual->add(history.outcomes, actual_spans);

  std::vector<Figures> replications(options.replications, Figures(*result.grid, options.figures));
  parallel_for(options.replications, options.jobs, options.cancel, [&](std::size_t r) {
    OutcomeRecorder recorder(run.organisation.start);
    SharedReplay replay(history.cases);
    run_model(models::SupportModel(run.organisation,
                                   sim::RandomStreams(options.seed, static_cast<std::uint32_t>(r)),
                                   recorder, &replay),
              run.organisation, run.source);
    replications[r].add(recorder.cases(), recorder.spans());
  });
  result.score = score(*result.actual, replications, options.tolerance);
  return result;
}

} // namespace supportsim::analysis::backtest

namespace supportsim::analysis::backtest {

History simulated_history(const models::OrganisationConfig &organisation, std::uint64_t seed) {
  OutcomeRecorder recorder(organisation.start);
  run_model(models::SupportModel(organisation, sim::RandomStreams(seed, 0), recorder), organisation,
            "the simulated history");
  History history;
  history.source = "simulated";
  history.outcomes = recorder.cases();
  for (const AgentSpan &s : recorder.spans())
    if (s.busy) history.work.push_back(s);
  history.cases.reserve(history.outcomes.size());
  for (const CaseOutcome &c : history.outcomes) {
    models::ReplayedCase row;
    row.created = c.queued;
    row.region = c.region;
    row.channel = c.channel;
    if (c.answered && c.handle_minutes >= 0) row.handle_minutes = c.handle_minutes;
    history.cases.push_back(row);
  }
  return history;
}

} // namespace supportsim::analysis::backtest
