#include "analysis/report/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace supportsim::analysis {

namespace {

/// Region q, or the whole organisation for q == regions.size().
const RegionFigures &region_of(const ReplicationFigures &rep, std::size_t q) {
  return q == rep.regions.size() ? rep.all : rep.regions[q];
}

/// The key figures compared across regions for regional consistency.
struct ConsistencyFigure {
  const char *name;
  double (*get)(const RegionFigures &);
};
const std::array<ConsistencyFigure, 5> consistency_figures{{
    {"sla_attainment", [](const RegionFigures &r) { return r.all.sla_attainment; }},
    {"asa_minutes", [](const RegionFigures &r) { return r.all.asa; }},
    {"abandonment", [](const RegionFigures &r) { return r.all.abandonment; }},
    {"utilisation", [](const RegionFigures &r) { return r.utilisation; }},
    {"cost_per_resolved", [](const RegionFigures &r) { return r.cost_per_resolved; }},
}};

/// The coefficient of variation of the regions' means: population standard deviation over the
/// mean, since the regions are all there are, not a sample. NaN with fewer than two means.
double coefficient_of_variation(const std::vector<double> &means) {
  if (means.size() < 2) return NAN;
  double mean = 0;
  for (double m : means)
    mean += m / static_cast<double>(means.size());
  double var = 0;
  for (double m : means)
    var += (m - mean) * (m - mean) / static_cast<double>(means.size());
  return mean != 0 ? std::sqrt(var) / std::abs(mean) : NAN;
}

std::vector<models::PerPriority<TargetCheck>> judge_sla(const ExperimentResult &r,
                                                        std::size_t regions) {
  std::vector<models::PerPriority<TargetCheck>> out(regions + 1);
  for (std::size_t q = 0; q <= regions; ++q)
    for (std::size_t p = 0; p < models::priority_count; ++p)
      out[q][p] = at_least(fmt::format("sla_attainment_{}", models::priority_names[p]),
                           r.scenario.sla.attainment_target[p],
                           across(r, [&](const ReplicationFigures &rep) {
                             return region_of(rep, q).by_priority[p].sla_attainment;
                           }));
  return out;
}

std::vector<TargetCheck> judge_utilisation(const ExperimentResult &r, std::size_t regions) {
  std::vector<TargetCheck> out;
  for (std::size_t q = 0; q <= regions; ++q)
    out.push_back(at_least(
        "utilisation", r.scenario.sla.utilisation_target,
        across(r, [&](const ReplicationFigures &rep) { return region_of(rep, q).utilisation; })));
  return out;
}

std::vector<double> mix_weighted_goal(const ExperimentResult &r, std::size_t regions) {
  std::vector<double> goals;
  for (std::size_t q = 0; q < regions; ++q) {
    double cases = 0, weighted = 0;
    for (std::size_t p = 0; p < models::priority_count; ++p) {
      const double n = across(r, [&](const ReplicationFigures &rep) {
                         return static_cast<double>(rep.regions[q].by_priority[p].offered);
                       }).mean;
      cases += n;
      weighted += n * r.scenario.sla.attainment_target[p];
    }
    goals.push_back(cases > 0 ? weighted / cases : NAN);
  }
  return goals;
}

/// Each region's cases against the demand forecast, in total and per week.
std::vector<DemandVariance> judge_demand(const ExperimentResult &r,
                                         const DemandForecast &forecast) {
  std::vector<DemandVariance> out;
  if (r.replications.empty()) return out;
  const double limit = r.scenario.sla.forecast_variance_max;
  for (std::size_t q = 0; q < forecast.regions.size(); ++q) {
    const DemandForecast::Region &f = forecast.regions[q];
    DemandVariance d;
    d.forecast = f.total;
    d.cases = across(r, [&](const ReplicationFigures &rep) {
      return static_cast<double>(rep.regions[q].all.offered);
    });
    d.variance = relative_variance(d.cases.mean, f.total);
    // The weeks both have (always all of them, but for figures made by hand).
    const std::size_t weeks =
        std::min(forecast.week_starts.size(), r.replications[0].regions[q].weeks.size());
    for (std::size_t k = 0; k < weeks; ++k) {
      const Estimate a =
          across(r, [&](const ReplicationFigures &rep) { return rep.regions[q].weeks[k].offered; });
      const double v = relative_variance(a.mean, f.weeks[k]);
      d.week_forecast.push_back(f.weeks[k]);
      d.week_cases.push_back(a);
      d.week_variance.push_back(v);
      if (std::isnan(v)) continue;
      d.weeks_off += std::abs(v) > limit;
      if (std::abs(v) > std::abs(d.largest)) d.largest = v;
    }
    out.push_back(std::move(d));
  }
  return out;
}

} // namespace

Estimate across(const ExperimentResult &r,
                const std::function<double(const ReplicationFigures &)> &pick) {
  std::vector<double> values;
  values.reserve(r.replications.size());
  for (const auto &rep : r.replications)
    values.push_back(pick(rep));
  return estimate(values);
}

TargetCheck at_least(std::string name, double goal, const Estimate &value) {
  TargetCheck t{std::move(name), goal, value, false, false};
  if (value.n == 0) { // no cases, nothing to miss
    t.met = t.confident = true;
  } else {
    t.met = value.mean >= goal;
    t.confident = !std::isnan(value.half_width) && value.mean - value.half_width >= goal;
  }
  return t;
}

std::vector<RegionalSpread> regional_spread(const ExperimentResult &r) {
  const std::size_t regions = r.replications.empty() ? 0 : r.replications[0].regions.size();
  const double limit = r.scenario.sla.regional_spread_max;
  std::vector<RegionalSpread> out;
  for (const ConsistencyFigure &f : consistency_figures) {
    RegionalSpread spread{f.name, {}, NAN, false};
    std::vector<double> means;
    for (std::size_t q = 0; q < regions; ++q) {
      const double m =
          across(r, [&](const ReplicationFigures &rep) { return f.get(rep.regions[q]); }).mean;
      spread.region_means.push_back(m);
      if (!std::isnan(m)) means.push_back(m);
    }
    spread.cv = coefficient_of_variation(means);
    spread.above_goal = !std::isnan(spread.cv) && spread.cv > limit;
    out.push_back(std::move(spread));
  }
  return out;
}

double relative_variance(double actual, double forecast) {
  return forecast > 0 ? (actual - forecast) / forecast : NAN;
}

Summary::Summary(ExperimentResult result)
    : run(std::move(result)),
      forecast(forecast_demand(run.scenario.organisation, run.scenario.warmup)),
      capacity(forecast_capacity(run.scenario)) {
  const std::size_t regions = region_count();
  sla = judge_sla(run, regions);
  utilisation = judge_utilisation(run, regions);
  mixed_sla_goal = mix_weighted_goal(run, regions);
  spread = regional_spread(run);
  demand = judge_demand(run, forecast);
  variance = forecast_variance(run, capacity);
  if (!run.replications.empty()) sl_seconds = run.replications[0].sl_seconds;
  callcentre = call_centre_lines(run);
  scorecard = judge_scorecard(*this);
}

std::vector<CallCentreLine> call_centre_lines(const ExperimentResult &r) {
  std::vector<CallCentreLine> out;
  if (r.replications.empty()) return out;
  const std::size_t regions = r.replications[0].regions.size();
  const std::size_t thresholds = r.replications[0].sl_seconds.size();
  for (std::size_t q = 0; q <= regions; ++q)
    for (std::size_t k = 0; k < synchronous_channel_count; ++k) {
      auto est = [&](double (*get)(const QueueTally &)) {
        return across(r, [&](const ReplicationFigures &rep) {
          return get(region_of(rep, q).callcentre[k].window);
        });
      };
      CallCentreLine line;
      line.region = region_of(r.replications[0], q).name;
      line.channel = static_cast<models::Channel>(k);
      line.offered = est([](const QueueTally &t) { return t.offered; });
      line.answered = est([](const QueueTally &t) { return t.answered; });
      line.abandoned = est([](const QueueTally &t) { return t.abandoned; });
      line.p_wait_zero = est([](const QueueTally &t) { return t.p_wait_zero(); });
      line.asa_seconds = est([](const QueueTally &t) { return t.asa_seconds(); });
      line.mean_wait_queued_seconds =
          est([](const QueueTally &t) { return t.mean_wait_queued_seconds(); });
      line.p_abandon_queued = est([](const QueueTally &t) { return t.p_abandon_queued(); });
      for (std::size_t t = 0; t < thresholds; ++t)
        line.service_level.push_back(across(r, [&](const ReplicationFigures &rep) {
          return region_of(rep, q).callcentre[k].window.service_level(t);
        }));
      out.push_back(std::move(line));
    }
  return out;
}

std::size_t Summary::region_count() const {
  return run.replications.empty() ? 0 : run.replications[0].regions.size();
}

} // namespace supportsim::analysis
