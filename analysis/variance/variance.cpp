#include "analysis/variance/variance.hpp"

#include "analysis/report/format.hpp"

#include <cassert>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace supportsim::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The forecast of one figure for one region-week (docs/metrics.md, "Forecast variance").
double forecast_of(VarianceFigure figure, const RegionWeekForecast &cell,
                   const models::OrganisationConfig &o) {
  switch (figure) {
  case VarianceFigure::volume:
    return cell.cases;
  case VarianceFigure::handled:
    return cell.cases * (1 - cell.abandonment);
  case VarianceFigure::sla: {
    // The priorities' predictions, weighted by the priority mix.
    double weighted = 0, weight = 0;
    for (std::size_t p = 0; p < models::priority_count; ++p)
      if (!std::isnan(cell.sla[p])) {
        weighted += o.demand.priority_mix[p] * cell.sla[p];
        weight += o.demand.priority_mix[p];
      }
    return weight > 0 ? weighted / weight : nan;
  }
  case VarianceFigure::utilisation:
    return std::isfinite(cell.utilisation) ? cell.utilisation : nan;
  case VarianceFigure::workload_fte:
    return cell.available_hours_per_agent > 0 ? cell.workload_hours / cell.available_hours_per_agent
                                              : nan;
  }
  return nan;
}

/// The simulated figure of one region-week in one replication.
double simulated_of(VarianceFigure figure, const IntervalFigures &week,
                    const RegionWeekForecast &cell) {
  switch (figure) {
  case VarianceFigure::volume:
    return week.offered;
  case VarianceFigure::handled:
    return week.answered;
  case VarianceFigure::sla:
    return week.sla_attainment;
  case VarianceFigure::utilisation:
    return week.utilisation;
  case VarianceFigure::workload_fte:
    return cell.available_hours_per_agent > 0 ? week.work_hours / cell.available_hours_per_agent
                                              : nan;
  }
  return nan;
}

/// Means over the replications of the week's work shares and open share, for the causes.
struct WeekFacts {
  double work_other_regions = 0; ///< share of the work on the region's cases
  double work_escalation = 0;
  double still_waiting = 0; ///< share of the week's cases with no first response or abandonment
};

WeekFacts week_facts(const ExperimentResult &r, std::size_t q, std::size_t w) {
  WeekFacts f;
  double work = 0, other = 0, escalation = 0, offered = 0, waiting = 0;
  for (const ReplicationFigures &rep : r.replications) {
    const IntervalFigures &week = rep.regions[q].weeks[w];
    work += week.work_hours;
    other += week.work_hours_other_regions;
    escalation += week.work_hours_escalation_tiers;
    offered += week.offered;
    waiting += week.offered - week.answered - week.abandonment * week.offered;
  }
  if (work > 0) {
    f.work_other_regions = other / work;
    f.work_escalation = escalation / work;
  }
  if (offered > 0) f.still_waiting = waiting / offered;
  return f;
}

/// The incidents in the row's region that overlap the week, which raise its demand.
void add_incident_causes(std::vector<std::string> &causes, const models::OrganisationConfig &o,
                         const sim::Clock &clock, std::size_t region, sim::SimTime week_start,
                         sim::SimTime week_end) {
  for (const models::IncidentConfig &incident : o.demand.incidents)
    if (incident.regions.empty() || incident.regions[region]) {
      const sim::SimTime from = clock.from_utc(incident.start);
      const sim::SimTime to = from + incident.duration;
      if (from < week_end && to > week_start)
        causes.push_back(fmt::format("incident window: {} from {} for {:g} h", incident.name,
                                     clock.format_utc(from), incident.duration.to_hours()));
    }
}

/// Causes of a figure other than volume: a bottleneck, an overload, work the forecast leaves out.
void add_capacity_causes(std::vector<std::string> &causes, const CapacityForecast &plan,
                         const VarianceRow &row, const RegionWeekForecast &cell,
                         const WeekFacts &facts) {
  // The capacity check: the week's work does not fit the agents able to do it.
  const CapacityCheck &check = plan.capacity[row.week];
  if (!check.feasible) {
    std::string names;
    for (const std::string &b : check.bottleneck)
      names += (names.empty() ? "" : ", ") + b;
    causes.push_back(fmt::format("bottleneck (minimum cut): {}", names));
  }
  if (cell.utilisation > 1 && row.figure != VarianceFigure::workload_fte)
    causes.push_back(
        fmt::format("forecast overloaded: the offered load is {} of the region's servers",
                    format_whole_percent(cell.utilisation)));
  if (facts.work_other_regions > 0.10)
    causes.push_back(fmt::format("hand-off gap: {} of the work on these cases done by other "
                                 "regions' agents (follow-the-sun), which the forecast leaves out",
                                 format_whole_percent(facts.work_other_regions)));
  if (facts.work_escalation > 0.10)
    causes.push_back(fmt::format("escalation tier: {} of the work done by escalation-tier agents, "
                                 "whom the forecast does not count as servers",
                                 format_whole_percent(facts.work_escalation)));
}

/// The region's hires trained in or shortly before the week, so still on the learning curve.
std::uint32_t ramping_hires(const models::OrganisationConfig &o, std::size_t region,
                            sim::SimTime week_start, sim::SimTime week_end) {
  const double ramp_minutes =
      2 * o.experience.handle_time.time_constant_months * models::days_per_month * 24 * 60;
  std::uint32_t ramping = 0;
  for (const models::AgentGroupConfig &g : o.agent_groups) {
    if (o.sites[g.site].region != region) continue;
    for (const models::HiringConfig &h : g.hiring_plan) {
      const double trained =
          std::chrono::duration<double, std::ratio<60>>(std::chrono::sys_days(h.date) - o.start)
              .count() +
          o.experience.training_weeks * 7 * 24 * 60;
      if (trained < week_end.to_minutes() && trained + ramp_minutes > week_start.to_minutes())
        ramping += h.hires;
    }
  }
  return ramping;
}

/// The causes the model can name for a flagged row.
std::vector<std::string> causes_of(const ExperimentResult &r, const CapacityForecast &plan,
                                   const VarianceRow &row, const RegionWeekForecast &cell,
                                   const WeekFacts &facts) {
  const models::OrganisationConfig &o = r.scenario.organisation;
  const sim::SimTime week_start = plan.week_starts[row.week];
  const sim::SimTime week_end = row.week + 1 < plan.week_starts.size()
                                    ? plan.week_starts[row.week + 1]
                                    : sim::SimTime::zero() + o.horizon;
  std::vector<std::string> causes;
  add_incident_causes(causes, o, sim::Clock(o.start), row.region, week_start, week_end);
  if (row.figure == VarianceFigure::volume) {
    if (r.replayed)
      causes.push_back("replayed demand: the export departs from the scenario's demand forecast");
    else if (causes.empty() && o.demand.daily_cv > 0)
      causes.push_back(fmt::format("day-to-day demand noise (daily_cv {:g}), which the forecast "
                                   "leaves out",
                                   o.demand.daily_cv));
    return causes;
  }
  add_capacity_causes(causes, plan, row, cell, facts);
  // New hires trained in or shortly before the week still work slower (the forecast takes
  // every agent at the groups' mean tenure).
  const std::uint32_t ramping = ramping_hires(o, row.region, week_start, week_end);
  if (ramping > 0 && o.experience.handle_time.at_hire > 1)
    causes.push_back(fmt::format("new-hire ramp: {} hires on the learning curve (handle time x{:g} "
                                 "at hire)",
                                 ramping, o.experience.handle_time.at_hire));
  if ((row.figure == VarianceFigure::handled || row.figure == VarianceFigure::sla) &&
      facts.still_waiting > 0.10)
    causes.push_back(fmt::format("end of the window: {} of the week's cases still waiting for a "
                                 "first response when the run ended",
                                 format_whole_percent(facts.still_waiting)));
  return causes;
}

} // namespace

VarianceReport forecast_variance(const ExperimentResult &r) {
  return forecast_variance(r, forecast_capacity(r.scenario));
}

VarianceReport forecast_variance(const ExperimentResult &r, const CapacityForecast &capacity) {
  VarianceReport report;
  report.threshold = r.scenario.sla.forecast_variance_max;
  const models::OrganisationConfig &o = r.scenario.organisation;
  for (const models::RegionConfig &region : o.regions)
    report.regions.push_back(region.name);
  report.week_starts = capacity.week_starts;
  if (r.replications.empty()) return report;
  const std::size_t weeks =
      std::min(capacity.week_starts.size(), r.replications[0].regions.empty()
                                                ? std::size_t{0}
                                                : r.replications[0].regions[0].weeks.size());
  report.week_starts.resize(weeks);
  for (std::size_t q = 0; q < o.regions.size(); ++q)
    for (std::size_t w = 0; w < weeks; ++w) {
      const RegionWeekForecast &cell = capacity.cells[w * o.regions.size() + q];
      assert(cell.region == q && cell.week == w);
      const WeekFacts facts = week_facts(r, q, w);
      for (std::size_t k = 0; k < variance_figure_count; ++k) {
        VarianceRow row;
        row.region = q;
        row.week = w;
        row.figure = static_cast<VarianceFigure>(k);
        row.forecast = forecast_of(row.figure, cell, o);
        std::vector<double> values;
        for (const ReplicationFigures &rep : r.replications)
          values.push_back(simulated_of(row.figure, rep.regions[q].weeks[w], cell));
        row.simulated = estimate(values);
        row.variance = row.forecast > 0 && !std::isnan(row.simulated.mean)
                           ? (row.simulated.mean - row.forecast) / row.forecast
                           : nan;
        row.flagged = !std::isnan(row.variance) && std::abs(row.variance) > report.threshold;
        if (row.flagged) {
          row.causes = causes_of(r, capacity, row, cell, facts);
          ++report.flagged;
        }
        report.rows.push_back(std::move(row));
      }
    }
  return report;
}

std::string render_variance_csv(const VarianceReport &report, const ExperimentResult &r) {
  const sim::Clock clock(r.scenario.organisation.start);
  std::string out = "region,week,week_start_utc,figure,forecast,simulated_mean,simulated_ci95,"
                    "variance,flagged,causes\n";
  for (const VarianceRow &row : report.rows) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(report.regions[row.region]),
                       row.week + 1, clock.format_utc(report.week_starts[row.week]),
                       variance_figure_names[static_cast<std::size_t>(row.figure)],
                       csv_number(row.forecast), csv_number(row.simulated.mean),
                       csv_number(row.simulated.half_width), csv_number(row.variance),
                       row.flagged ? "yes" : "no", csv_field(join(row.causes, "; ")));
  }
  return out;
}

} // namespace supportsim::analysis
