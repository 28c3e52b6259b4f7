#include "analysis/report/report.hpp"

#include "analysis/report/format.hpp"
#include "analysis/variance/variance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace supportsim::analysis {

namespace {

using nlohmann::ordered_json;

/// Region q, or the whole organisation for q == regions.size().
const RegionFigures &region_of(const ReplicationFigures &rep, std::size_t q) {
  return q == rep.regions.size() ? rep.all : rep.regions[q];
}

/// Priority p of region q, or the whole region for p == priority_count.
const CaseFigures &cell(const ReplicationFigures &rep, std::size_t q, std::size_t p) {
  const RegionFigures &region = region_of(rep, q);
  return p == models::priority_count ? region.all : region.by_priority[p];
}

/// Every per-case-group figure, named once for the JSON document and the CSV files.
struct Figure {
  const char *name;
  double (*get)(const CaseFigures &);
};
const std::array<Figure, 17> figures{{
    {"offered", [](const CaseFigures &c) { return static_cast<double>(c.offered); }},
    {"answered", [](const CaseFigures &c) { return static_cast<double>(c.answered); }},
    {"abandoned", [](const CaseFigures &c) { return static_cast<double>(c.abandoned); }},
    {"resolved", [](const CaseFigures &c) { return static_cast<double>(c.resolved); }},
    {"open_at_end", [](const CaseFigures &c) { return static_cast<double>(c.open); }},
    {"sla_attainment", [](const CaseFigures &c) { return c.sla_attainment; }},
    {"abandonment", [](const CaseFigures &c) { return c.abandonment; }},
    {"mean_wait_minutes", [](const CaseFigures &c) { return c.mean_wait; }},
    {"asa_minutes", [](const CaseFigures &c) { return c.asa; }},
    {"p90_wait_minutes", [](const CaseFigures &c) { return c.p90_wait; }},
    {"touches_per_resolved", [](const CaseFigures &c) { return c.touches; }},
    {"mean_resolution_hours", [](const CaseFigures &c) { return c.mean_resolution; }},
    {"p90_resolution_hours", [](const CaseFigures &c) { return c.p90_resolution; }},
    {"escalation_rate", [](const CaseFigures &c) { return c.escalation_rate; }},
    {"reopen_rate", [](const CaseFigures &c) { return c.reopen_rate; }},
    {"handoff_rate", [](const CaseFigures &c) { return c.handoff_rate; }},
    {"no_qualified_agent_rate", [](const CaseFigures &c) { return c.no_qualified_agent_rate; }},
}};

/// Every per-region figure about agents and money.
struct RegionFigure {
  const char *name;
  double (*get)(const RegionFigures &);
};
const std::array<RegionFigure, 7> region_figures{{
    {"utilisation", [](const RegionFigures &r) { return r.utilisation; }},
    {"paid_hours", [](const RegionFigures &r) { return r.paid_hours; }},
    {"overtime_hours", [](const RegionFigures &r) { return r.overtime_hours; }},
    {"idle_hours", [](const RegionFigures &r) { return r.idle_hours; }},
    {"cost", [](const RegionFigures &r) { return r.cost; }},
    {"cost_per_resolved", [](const RegionFigures &r) { return r.cost_per_resolved; }},
    {"trigger_firings",
     [](const RegionFigures &r) { return static_cast<double>(r.trigger_firings); }},
}};

ordered_json cell_json(const ExperimentResult &r, std::size_t q, std::size_t p) {
  ordered_json j;
  for (const Figure &f : figures)
    j[f.name] = estimate_json(
        across(r, [&](const ReplicationFigures &rep) { return f.get(cell(rep, q, p)); }));
  return j;
}

/// Calls f(q, p) for every group in report order: each region's priorities, then the region as
/// a whole (p == priority_count); last the same for the whole organisation (q == region_count).
template <class F> void for_each_group(std::size_t region_count, F &&f) {
  for (std::size_t q = 0; q <= region_count; ++q)
    for (std::size_t p = 0; p <= models::priority_count; ++p)
      f(q, p);
}

std::size_t region_count(const ExperimentResult &r) {
  return r.replications.empty() ? 0 : r.replications[0].regions.size();
}

std::string cell_name(const ExperimentResult &r, std::size_t q) {
  return q == region_count(r) ? "all" : r.replications[0].regions[q].name;
}

/// Region q (or everything, q == region count) as a JSON object: its agents and money, each
/// priority, and the whole.
ordered_json region_json(const Summary &summary, std::size_t q) {
  const ExperimentResult &r = summary.run;
  ordered_json jq;
  jq["name"] = region_of(r.replications[0], q).name;
  jq["agents"] = region_of(r.replications[0], q).agents;
  for (const RegionFigure &f : region_figures)
    jq[f.name] = estimate_json(
        across(r, [&](const ReplicationFigures &rep) { return f.get(region_of(rep, q)); }));
  ordered_json priorities = ordered_json::array();
  for (std::size_t p = 0; p < models::priority_count; ++p) {
    ordered_json jp;
    jp["priority"] = models::priority_names[p];
    jp["sla_attainment_goal"] = summary.sla[q][p].goal;
    jp.update(cell_json(r, q, p));
    priorities.push_back(std::move(jp));
  }
  jq["priorities"] = std::move(priorities);
  jq["all"] = cell_json(r, q, models::priority_count);
  return jq;
}

/// Every per-group figure, for the JSON document and agents.csv.
struct GroupFigure {
  const char *name;
  double (*get)(const GroupFigures &);
};
const std::array<GroupFigure, 5> group_figures{{
    {"utilisation", [](const GroupFigures &g) { return g.utilisation; }},
    {"paid_hours", [](const GroupFigures &g) { return g.paid_hours; }},
    {"overtime_hours", [](const GroupFigures &g) { return g.overtime_hours; }},
    {"idle_hours", [](const GroupFigures &g) { return g.idle_hours; }},
    {"cost", [](const GroupFigures &g) { return g.cost; }},
}};

} // namespace

namespace {
/// The cases observed over the forecast per local hour of the week (null where none forecast).
ordered_json hour_of_week_ratio(const ExperimentResult &r, const DemandForecast::Region &f,
                                std::size_t q) {
  ordered_json ratio = ordered_json::array();
  for (std::size_t h = 0; h < hours_per_week; ++h) {
    const double observed = across(r, [&](const ReplicationFigures &rep) {
                              return rep.regions[q].hour_of_week_arrivals[h];
                            }).mean;
    ratio.push_back(f.hour_of_week[h] > 0 ? ordered_json(observed / f.hour_of_week[h])
                                          : ordered_json(nullptr));
  }
  return ratio;
}

/// Per region: the window's forecast against the simulated (or replayed) cases, per week, and
/// the ratio observed / forecast per local hour of the week.
ordered_json demand_json(const Summary &s) {
  const ExperimentResult &r = s.run;
  const sim::Clock clock(r.scenario.organisation.start);
  ordered_json regions = ordered_json::array();
  for (std::size_t q = 0; q < s.demand.size(); ++q) {
    const DemandVariance &d = s.demand[q];
    ordered_json jr;
    jr["name"] = r.replications[0].regions[q].name;
    jr["forecast"] = d.forecast;
    jr["cases"] = estimate_json(d.cases);
    jr["variance"] = json_number(d.variance);
    ordered_json weeks = ordered_json::array();
    for (std::size_t k = 0; k < d.week_cases.size(); ++k)
      weeks.push_back({{"start_utc", clock.format_utc(s.forecast.week_starts[k])},
                       {"forecast", d.week_forecast[k]},
                       {"cases", estimate_json(d.week_cases[k])},
                       {"variance", json_number(d.week_variance[k])}});
    jr["weeks"] = std::move(weeks);
    jr["hour_of_week_ratio"] = hour_of_week_ratio(r, s.forecast.regions[q], q);
    regions.push_back(std::move(jr));
  }
  return regions;
}
} // namespace

std::string render_intervals_csv(const ExperimentResult &r) {
  struct IntervalFigure {
    const char *name;
    double (*get)(const IntervalFigures &);
  };
  static const std::array<IntervalFigure, 12> interval_figures{{
      {"offered", [](const IntervalFigures &d) { return d.offered; }},
      {"answered", [](const IntervalFigures &d) { return d.answered; }},
      {"sla_attainment", [](const IntervalFigures &d) { return d.sla_attainment; }},
      {"asa_minutes", [](const IntervalFigures &d) { return d.asa; }},
      {"abandonment", [](const IntervalFigures &d) { return d.abandonment; }},
      {"backlog", [](const IntervalFigures &d) { return d.backlog; }},
      {"backlog_age_hours", [](const IntervalFigures &d) { return d.backlog_age_hours; }},
      {"utilisation", [](const IntervalFigures &d) { return d.utilisation; }},
      {"available_hours", [](const IntervalFigures &d) { return d.available_hours; }},
      {"work_hours", [](const IntervalFigures &d) { return d.work_hours; }},
      {"work_hours_other_regions",
       [](const IntervalFigures &d) { return d.work_hours_other_regions; }},
      {"work_hours_escalation_tiers",
       [](const IntervalFigures &d) { return d.work_hours_escalation_tiers; }},
  }};
  struct Length {
    const char *name;
    sim::Duration length;
    std::vector<IntervalFigures> RegionFigures::*intervals;
  };
  static const std::array<Length, 3> lengths{{
      {"week", sim::Duration::days(7), &RegionFigures::weeks},
      {"day", sim::Duration::days(1), &RegionFigures::days},
      {"hour", sim::Duration::hours(1), &RegionFigures::hours},
  }};
  const sim::Clock clock(r.scenario.organisation.start);
  std::string out = "region,interval,start_utc";
  for (const IntervalFigure &f : interval_figures)
    out += fmt::format(",{0}_mean,{0}_ci95", f.name);
  out += "\n";
  for (std::size_t q = 0; q < region_count(r); ++q)
    for (const Length &l : lengths)
      for (std::size_t k = 0; k < (r.replications[0].regions[q].*l.intervals).size(); ++k) {
        out += fmt::format("{},{},{}", csv_field(r.replications[0].regions[q].name), l.name,
                           clock.format_utc(sim::SimTime::zero() + r.scenario.warmup +
                                            sim::Duration::from_ticks(
                                                l.length.ticks() * static_cast<std::int64_t>(k))));
        for (const IntervalFigure &f : interval_figures) {
          const Estimate e = across(r, [&](const ReplicationFigures &rep) {
            return f.get((rep.regions[q].*l.intervals)[k]);
          });
          out += fmt::format(",{},{}", csv_number(e.mean), csv_number(e.half_width));
        }
        out += "\n";
      }
  return out;
}

std::string render_agents_csv(const ExperimentResult &r) {
  const models::OrganisationConfig &org = r.scenario.organisation;
  std::string out = "group,region,tier,headcount";
  for (const GroupFigure &f : group_figures)
    out += fmt::format(",{0}_mean,{0}_ci95", f.name);
  out += "\n";
  const std::size_t group_count = r.replications.empty() ? 0 : r.replications[0].groups.size();
  for (std::size_t g = 0; g < group_count; ++g) {
    const models::AgentGroupConfig &group = org.agent_groups[g];
    out += fmt::format("{},{},{},{}", csv_field(group.name),
                       csv_field(org.regions[org.sites[group.site].region].name),
                       csv_field(org.tiers[group.tier].name), group.headcount);
    for (const GroupFigure &f : group_figures) {
      const Estimate e =
          across(r, [&](const ReplicationFigures &rep) { return f.get(rep.groups[g]); });
      out += fmt::format(",{},{}", csv_number(e.mean), csv_number(e.half_width));
    }
    out += "\n";
  }
  return out;
}

std::string render_demand_csv(const Summary &s) {
  const sim::Clock clock(s.run.scenario.organisation.start);
  std::string out = "region,week_start_utc,forecast,cases_mean,cases_ci95,variance\n";
  for (std::size_t q = 0; q < s.demand.size(); ++q) {
    const DemandVariance &d = s.demand[q];
    for (std::size_t k = 0; k < d.week_cases.size(); ++k)
      out += fmt::format("{},{},{},{},{},{}\n", csv_field(s.run.replications[0].regions[q].name),
                         clock.format_utc(s.forecast.week_starts[k]),
                         csv_number(d.week_forecast[k]), csv_number(d.week_cases[k].mean),
                         csv_number(d.week_cases[k].half_width), csv_number(d.week_variance[k]));
  }
  return out;
}

namespace {

/// The forecast variance block: per region, the mean weekly variance of each figure and the
/// rows flagged.
std::string variance_by_region(const VarianceReport &v, int label_width) {
  const std::size_t weeks = v.week_starts.size();
  std::string out;
  for (std::size_t q = 0; q < v.regions.size(); ++q) {
    out += fmt::format("{:<{}}", v.regions[q], label_width);
    std::size_t flagged = 0;
    for (std::size_t k = 0; k < variance_figure_count; ++k) {
      double sum = 0;
      std::size_t n = 0;
      for (std::size_t w = 0; w < weeks; ++w) {
        const VarianceRow &row = v.rows[(q * weeks + w) * variance_figure_count + k];
        flagged += row.flagged;
        if (!std::isnan(row.variance)) {
          sum += row.variance;
          ++n;
        }
      }
      out +=
          fmt::format(" {:>9}", format_signed_percent(n > 0 ? sum / static_cast<double>(n) : NAN));
    }
    out += fmt::format("  {} of {}{}\n", flagged, weeks * variance_figure_count,
                       flagged > 0 ? " MISS" : "");
  }
  return out;
}

/// The largest flagged departures, one per region and figure, largest first (at most five),
/// with their causes.
std::string largest_departures(const VarianceReport &v) {
  const std::size_t weeks = v.week_starts.size();
  std::vector<const VarianceRow *> largest;
  for (std::size_t q = 0; q < v.regions.size(); ++q)
    for (std::size_t k = 0; k < variance_figure_count; ++k) {
      const VarianceRow *worst = nullptr;
      for (std::size_t w = 0; w < weeks; ++w) {
        const VarianceRow &row = v.rows[(q * weeks + w) * variance_figure_count + k];
        if (row.flagged && (!worst || std::abs(row.variance) > std::abs(worst->variance)))
          worst = &row;
      }
      if (worst) largest.push_back(worst);
    }
  std::stable_sort(largest.begin(), largest.end(), [](const VarianceRow *a, const VarianceRow *b) {
    return std::abs(a->variance) > std::abs(b->variance);
  });
  if (largest.size() > 5) largest.resize(5);
  std::string out;
  for (const VarianceRow *row : largest) {
    const std::string causes = join(row->causes, "; ");
    out += wrap_text(fmt::format("{} {} week {}: {} ({} against {}){}{}", v.regions[row->region],
                                 variance_figure_names[static_cast<std::size_t>(row->figure)],
                                 row->week + 1, format_signed_percent(row->variance),
                                 fmt::format("{:.3g}", row->simulated.mean),
                                 fmt::format("{:.3g}", row->forecast), causes.empty() ? "" : ": ",
                                 causes.empty() ? "no cause the model can name" : causes),
                     100, "  ");
  }
  return out;
}

/// The forecast variance block of the table.
std::string variance_table(const Summary &s, int name_width) {
  const VarianceReport &v = s.variance;
  if (s.run.replications.empty() || v.week_starts.empty()) return "";
  // The title is wider than the other blocks' first column: the columns start after it.
  const std::string title = "forecast variance";
  const int label_width = std::max(name_width + 5, static_cast<int>(title.size()));
  std::string out = fmt::format("{:<{}} {:>9} {:>9} {:>9} {:>9} {:>9}  flagged\n", title,
                                label_width, "volume", "handled", "SLA", "utilis.", "workload");
  out += variance_by_region(v, label_width);
  out += fmt::format("  mean weekly (simulated - forecast) / forecast; flagged beyond ±{:g}%\n",
                     100 * v.threshold);
  return out + largest_departures(v) + "\n";
}

/// The lines above the figures: version, scenario, organisation, seed, window.
std::string table_heading(const ExperimentResult &r, const std::string &version) {
  const scenarios::Scenario &s = r.scenario;
  const models::OrganisationConfig &org = s.organisation;
  std::uint32_t agents = 0;
  for (const auto &g : org.agent_groups)
    agents += g.headcount;
  const sim::Clock clock(org.start);
  auto count = [](std::size_t n, const char *what) {
    return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
  };
  return fmt::format("supportsim {} · scenario \"{}\" · {}\n", version, s.name, s.source) +
         fmt::format("{} in {} at {} · seed {} · {}\n"
                     "{} days warm-up, then {} days measured from {}\n"
                     "± is a 95% confidence interval over the replications; SLA is first "
                     "response within target\n\n",
                     count(agents, "agent"), count(org.agent_groups.size(), "group"),
                     count(org.sites.size(), "site"), s.seed, count(s.replications, "replication"),
                     format_days(s.warmup), format_days(org.horizon - s.warmup),
                     clock.format_utc(sim::SimTime::zero() + s.warmup));
}

/// One row of the scorecard: region q's priority p (or all of it), against the target.
std::string scorecard_row(const Summary &s, std::size_t q, std::size_t p, int name_width) {
  const ExperimentResult &r = s.run;
  const bool whole = p == models::priority_count;
  auto est = [&](auto member) {
    return across(r, [&](const ReplicationFigures &rep) {
      return static_cast<double>(cell(rep, q, p).*member);
    });
  };
  std::string goal, verdict, sla;
  if (whole) {
    const Estimate e = est(&CaseFigures::sla_attainment);
    sla = format_percent(e.mean, e.half_width);
  } else {
    const TargetCheck &t = s.sla[q][p];
    goal = format_goal(t.goal);
    if (t.judged() && !t.met) verdict = " MISS";
    sla = format_percent(t.value.mean, t.value.half_width);
  }
  return fmt::format("{:<{}} {:<4} {:>9.0f}  {:>5}  {:<20} {:>10} {:>10} {:>9}\n",
                     p == 0 || whole ? cell_name(r, q) : "", name_width,
                     whole ? "all" : models::priority_names[p], est(&CaseFigures::offered).mean,
                     goal, sla + verdict, format_minutes(est(&CaseFigures::asa).mean),
                     format_minutes(est(&CaseFigures::p90_wait).mean),
                     format_percent(est(&CaseFigures::abandonment).mean));
}

/// Region q's (or the organisation's) agents and money, below its priorities.
std::string region_footer(const Summary &s, std::size_t q, int name_width) {
  const ExperimentResult &r = s.run;
  auto est = [&](auto member) {
    return across(r, [&](const ReplicationFigures &rep) {
      return static_cast<double>(region_of(rep, q).all.*member);
    });
  };
  const TargetCheck &util = s.utilisation[q];
  const Estimate cost =
      across(r, [&](const ReplicationFigures &rep) { return region_of(rep, q).cost_per_resolved; });
  return fmt::format(
      "{:<{}} utilisation {} (goal {}) · cost per resolved case {}\n"
      "{:<{}} escalated {} · handed off between regions {} · no qualified agent {}\n\n",
      "", name_width, format_percent(util.value.mean, util.value.half_width),
      format_goal(util.goal), format_money(cost.mean), "", name_width,
      format_percent(est(&CaseFigures::escalation_rate).mean),
      format_percent(est(&CaseFigures::handoff_rate).mean),
      format_percent(est(&CaseFigures::no_qualified_agent_rate).mean));
}

/// Per region and priority: cases, goal, SLA attained (misses marked), waits, abandonment; per
/// region its agents and money.
std::string table_scorecard(const Summary &s, int name_width) {
  std::string out =
      fmt::format("{:<{}} {:<4} {:>9}  {:>5}  {:<20} {:>10} {:>10} {:>9}\n", "region", name_width,
                  "pri", "cases/rep", "goal", "SLA attained", "ASA", "p90 wait", "abandoned");
  for_each_group(s.region_count(), [&](std::size_t q, std::size_t p) {
    out += scorecard_row(s, q, p, name_width);
    if (p == models::priority_count) out += region_footer(s, q, name_width);
  });
  return out;
}

/// The whole organisation by customer segment (each segment has its own SLA targets and
/// clock) or by channel.
template <class Names, class Pick>
std::string table_breakdown(const ExperimentResult &r, const char *title, const Names &names,
                            Pick pick, int name_width) {
  std::string out = fmt::format("{:<{}} {:>9}  {:<20} {:>10} {:>10} {:>9}\n", title, name_width + 5,
                                "cases/rep", "SLA attained", "ASA", "p90 wait", "abandoned");
  for (std::size_t k = 0; k < names.size(); ++k) {
    auto est = [&](auto member) {
      return across(r, [&](const ReplicationFigures &rep) {
        return static_cast<double>(pick(rep, k).*member);
      });
    };
    const Estimate sla = est(&CaseFigures::sla_attainment);
    out += fmt::format("{:<{}} {:>9.0f}  {:<20} {:>10} {:>10} {:>9}\n", names[k], name_width + 5,
                       est(&CaseFigures::offered).mean, format_percent(sla.mean, sla.half_width),
                       format_minutes(est(&CaseFigures::asa).mean),
                       format_minutes(est(&CaseFigures::p90_wait).mean),
                       format_percent(est(&CaseFigures::abandonment).mean));
  }
  return out + "\n";
}

/// The figures a call centre is judged by, a line per region (then all) and synchronous
/// channel with cases: "phone: P(wait=0) 54.5% · queued wait 74 s · P(ab|queued) 40.9% · ...".
std::string table_callcentre(const Summary &s, int name_width) {
  std::string out;
  for (const CallCentreLine &line : s.callcentre) {
    if (!(line.offered.mean > 0)) continue;
    std::vector<std::string> parts{
        fmt::format("P(wait=0) {}", format_percent(line.p_wait_zero.mean)),
        fmt::format("queued wait {}",
                    std::isnan(line.mean_wait_queued_seconds.mean)
                        ? std::string("-")
                        : fmt::format("{:.0f} s", line.mean_wait_queued_seconds.mean)),
        fmt::format("P(ab|queued) {}", format_percent(line.p_abandon_queued.mean))};
    for (std::size_t t = 0; t < s.sl_seconds.size(); ++t)
      parts.push_back(
          fmt::format("SL {}s {}", s.sl_seconds[t], format_percent(line.service_level[t].mean)));
    // Within 100 columns: the figures that do not fit go on the next line, indented.
    std::string row = fmt::format("{:<{}} {}: ", line.region, name_width,
                                  models::channel_names[models::index_of(line.channel)]);
    const std::size_t indent = row.size();
    std::size_t width = indent;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::size_t size = parts[i].size() + (i > 0 ? 4 : 0); // " · " is 4 bytes, 3 columns
      if (i > 0 && width + size > 100) {
        row += fmt::format("\n{:<{}}", "", indent);
        width = indent;
      } else if (i > 0) {
        row += " · ";
        width += 3;
      }
      row += parts[i];
      width += parts[i].size();
    }
    out += row + "\n";
  }
  if (out.empty()) return "";
  return "call centre (phone and chat; docs/metrics.md, \"Call-centre figures\")\n" + out + "\n";
}

/// Regional consistency: how far the regions' key figures spread (two regions or more).
std::string table_spread(const Summary &s) {
  if (s.region_count() < 2) return "";
  std::string out = fmt::format("regional spread: coefficient of variation across regions (goal "
                                "at most {})\n",
                                format_goal(s.run.scenario.sla.regional_spread_max));
  std::vector<std::string> parts;
  for (const RegionalSpread &f : s.spread)
    parts.push_back(
        fmt::format("{} {}{}", f.figure, format_percent(f.cv), f.above_goal ? " MISS" : ""));
  for (std::size_t i = 0; i < parts.size(); i += 3) {
    std::string row = "  ";
    for (std::size_t j = i; j < std::min(parts.size(), i + 3); ++j)
      row += (j > i ? " · " : "") + parts[j];
    out += row + "\n";
  }
  return out + "\n";
}

/// Demand against the scenario's forecast, per region: the window's total and its weeks.
std::string table_demand(const Summary &s, int name_width) {
  if (s.demand.empty() || s.forecast.week_starts.empty()) return "";
  std::string out = fmt::format("{:<{}} {:>9} {:>9} {:>9}  weeks off by more than {} (largest)\n",
                                "demand", name_width + 5, "forecast", "cases", "variance",
                                format_goal(s.run.scenario.sla.forecast_variance_max));
  for (std::size_t q = 0; q < s.region_count(); ++q) {
    const DemandVariance &d = s.demand[q];
    out += fmt::format(
        "{:<{}} {:>9.0f} {:>9.0f} {:>9}  {} of {} ({}){}\n", s.run.replications[0].regions[q].name,
        name_width + 5, d.forecast, d.cases.mean, format_signed_percent(d.variance), d.weeks_off,
        s.forecast.week_starts.size(), format_signed_percent(d.largest), d.met() ? "" : " MISS");
  }
  return out + "\n";
}

/// The mission's seven targets, one row each (the Scorecard): goal, the organisation's figure,
/// and the verdict with the lines that miss, or why it cannot be judged.
std::string table_targets(const Summary &s) {
  constexpr int title_width = 30, goal_width = 9, figure_width = 24;
  constexpr std::size_t verdict_at = title_width + goal_width + figure_width + 3;
  std::string out = fmt::format("{:<{}} {:<{}} {:<{}} {}\n", "targets", title_width, "goal",
                                goal_width, "organisation", figure_width, "verdict");
  for (const ScorecardTarget &t : s.scorecard.targets) {
    // The organisation's lines ("all"), or for a figure across regions the largest.
    std::vector<std::string> shown;
    const ScorecardLine *largest = nullptr;
    const auto organisation_lines = std::count_if(
        t.lines.begin(), t.lines.end(), [](const ScorecardLine &l) { return l.region == "all"; });
    for (const ScorecardLine &line : t.lines) {
      if (line.region == "all")
        shown.push_back((line.label.empty() ? "" : line.label + " ") +
                        format_scorecard_value(line.value, t.unit, organisation_lines == 1));
      if (line.region.empty() && !std::isnan(line.value.mean) &&
          (!largest || line.value.mean > largest->value.mean))
        largest = &line;
    }
    if (largest) shown.push_back("largest " + format_scorecard_value(largest->value, t.unit));
    std::string verdict;
    if (t.verdict == Verdict::met) {
      verdict = "met";
    } else if (t.verdict == Verdict::miss) {
      std::vector<std::string> where;
      for (const ScorecardLine &line : t.lines)
        if (line.verdict == Verdict::miss)
          where.push_back(line.region.empty()  ? line.label
                          : line.label.empty() ? line.region
                                               : line.region + " " + line.label);
      verdict = "MISS: " + join(where, ", ");
    } else {
      verdict = "cannot be judged: " + t.note;
    }
    const std::string row =
        fmt::format("{:<{}} {:<{}} {:<{}}", t.title, title_width, format_scorecard_goal(t),
                    goal_width, join(shown, " · "), figure_width);
    // The verdict wraps within 100 columns, its next lines under its first.
    const std::string wrapped = wrap_text(verdict, 100 - verdict_at, "");
    out += row + " " + wrapped.substr(0, wrapped.find('\n') + 1);
    for (std::size_t at = wrapped.find('\n') + 1; at < wrapped.size();) {
      const std::size_t end = wrapped.find('\n', at);
      out += std::string(verdict_at - 2, ' ') + wrapped.substr(at, end + 1 - at);
      at = end + 1;
    }
  }
  return out + "\n";
}

/// Every " MISS" in bold red, after the layout so that the escapes take no column.
std::string coloured_misses(std::string out) {
  const std::string miss = " MISS", red = " \x1b[1;31mMISS\x1b[0m";
  for (std::size_t at = out.find(miss); at != std::string::npos;
       at = out.find(miss, at + red.size()))
    out.replace(at, miss.size(), red);
  return out;
}

} // namespace

std::string render_table(const Summary &s, const std::string &version, bool colour) {
  const ExperimentResult &r = s.run;
  // Every line fits in 100 columns; the region column grows for long names.
  int name_width = 6;
  for (std::size_t q = 0; q < s.region_count(); ++q)
    name_width = std::max(name_width, static_cast<int>(r.replications[0].regions[q].name.size()));
  std::string out = table_heading(r, version);
  out += table_targets(s);
  out += table_scorecard(s, name_width);
  out += table_breakdown(
      r, "segment", models::segment_names,
      [](const ReplicationFigures &rep, std::size_t k) -> const CaseFigures & {
        return rep.by_segment[k];
      },
      name_width);
  out += table_breakdown(
      r, "channel", models::channel_names,
      [](const ReplicationFigures &rep, std::size_t k) -> const CaseFigures & {
        return rep.by_channel[k];
      },
      name_width);
  out += table_callcentre(s, name_width);
  out += table_spread(s);
  out += table_demand(s, name_width);
  out += variance_table(s, name_width);
  return colour ? coloured_misses(std::move(out)) : out;
}

namespace {
/// Per region and week: each figure's forecast, simulated estimate, variance, flag and causes.
ordered_json variance_json(const VarianceReport &v, const ExperimentResult &r) {
  const sim::Clock clock(r.scenario.organisation.start);
  ordered_json doc;
  doc["threshold"] = v.threshold;
  doc["flagged"] = v.flagged;
  ordered_json regions = ordered_json::array();
  const std::size_t weeks = v.week_starts.size();
  for (std::size_t q = 0; q < v.regions.size() && !r.replications.empty(); ++q) {
    ordered_json jweeks = ordered_json::array();
    for (std::size_t w = 0; w < weeks; ++w) {
      ordered_json jw;
      jw["start_utc"] = clock.format_utc(v.week_starts[w]);
      for (std::size_t k = 0; k < variance_figure_count; ++k) {
        const VarianceRow &row = v.rows[(q * weeks + w) * variance_figure_count + k];
        jw[std::string(variance_figure_names[k])] = {{"forecast", json_number(row.forecast)},
                                                     {"simulated", estimate_json(row.simulated)},
                                                     {"variance", json_number(row.variance)},
                                                     {"flagged", row.flagged},
                                                     {"causes", row.causes}};
      }
      jweeks.push_back(std::move(jw));
    }
    regions.push_back({{"name", v.regions[q]}, {"weeks", std::move(jweeks)}});
  }
  doc["regions"] = std::move(regions);
  return doc;
}

/// Each figure's estimate for every item of a breakdown (segments or channels).
template <class Names, class Pick>
ordered_json breakdown_json(const ExperimentResult &r, const Names &names, Pick pick) {
  ordered_json items = ordered_json::array();
  for (std::size_t k = 0; k < names.size(); ++k) {
    ordered_json j;
    j["name"] = names[k];
    for (const Figure &f : figures)
      j[f.name] = estimate_json(
          across(r, [&](const ReplicationFigures &rep) { return f.get(pick(rep, k)); }));
    items.push_back(std::move(j));
  }
  return items;
}

/// Per agent group: its region, tier, headcount and each group figure's estimate.
ordered_json agent_groups_json(const ExperimentResult &r) {
  const scenarios::Scenario &s = r.scenario;
  ordered_json groups = ordered_json::array();
  const std::size_t group_count = r.replications.empty() ? 0 : r.replications[0].groups.size();
  for (std::size_t g = 0; g < group_count; ++g) {
    const models::AgentGroupConfig &group = s.organisation.agent_groups[g];
    ordered_json jg;
    jg["name"] = group.name;
    jg["region"] = s.organisation.regions[s.organisation.sites[group.site].region].name;
    jg["tier"] = s.organisation.tiers[group.tier].name;
    jg["headcount"] = group.headcount;
    for (const GroupFigure &f : group_figures)
      jg[f.name] = estimate_json(
          across(r, [&](const ReplicationFigures &rep) { return f.get(rep.groups[g]); }));
    groups.push_back(std::move(jg));
  }
  return groups;
}
} // namespace

namespace {
/// The call-centre figures: the thresholds, then a line per region (then all) and channel.
ordered_json callcentre_json(const Summary &s) {
  ordered_json lines = ordered_json::array();
  for (const CallCentreLine &line : s.callcentre) {
    ordered_json j;
    j["region"] = line.region;
    j["channel"] = models::channel_names[models::index_of(line.channel)];
    j["offered"] = estimate_json(line.offered);
    j["answered"] = estimate_json(line.answered);
    j["abandoned"] = estimate_json(line.abandoned);
    j["p_wait_zero"] = estimate_json(line.p_wait_zero);
    j["asa_seconds"] = estimate_json(line.asa_seconds);
    j["mean_wait_queued_seconds"] = estimate_json(line.mean_wait_queued_seconds);
    j["p_abandon_queued"] = estimate_json(line.p_abandon_queued);
    ordered_json levels = ordered_json::array();
    for (std::size_t t = 0; t < s.sl_seconds.size(); ++t)
      levels.push_back(
          {{"seconds", s.sl_seconds[t]}, {"service_level", estimate_json(line.service_level[t])}});
    j["service_levels"] = std::move(levels);
    lines.push_back(std::move(j));
  }
  return {{"sl_seconds", s.sl_seconds}, {"lines", std::move(lines)}};
}
} // namespace

namespace {
/// A name, or null where it is empty (a line across regions has no region).
ordered_json name_or_null(const std::string &name) {
  return name.empty() ? ordered_json(nullptr) : ordered_json(name);
}

/// The seven targets: each with its rule, verdict and lines (docs/metrics.md, "Scorecard").
ordered_json scorecard_json(const Scorecard &card) {
  ordered_json targets = ordered_json::array();
  for (const ScorecardTarget &t : card.targets) {
    ordered_json lines = ordered_json::array();
    for (const ScorecardLine &line : t.lines) {
      ordered_json periods = ordered_json::array();
      for (const ScorecardPeriod &period : line.periods)
        periods.push_back({{"label", period.label}, {"value", estimate_json(period.value)}});
      lines.push_back({{"region", name_or_null(line.region)},
                       {"label", name_or_null(line.label)},
                       {"value", estimate_json(line.value)},
                       {"goal", json_number(line.goal)},
                       {"verdict", verdict_name(line.verdict)},
                       {"note", line.note},
                       {"periods", std::move(periods)}});
    }
    targets.push_back({{"key", t.key},
                       {"title", t.title},
                       {"rule", t.rule},
                       {"comparison", comparison_name(t.comparison)},
                       {"unit", unit_name(t.unit)},
                       {"verdict", verdict_name(t.verdict)},
                       {"note", t.note},
                       {"lines", std::move(lines)}});
  }
  return {{"targets", std::move(targets)}};
}
} // namespace

std::string render_json(const Summary &summary, const std::string &version) {
  const ExperimentResult &r = summary.run;
  const scenarios::Scenario &s = r.scenario;
  ordered_json doc;
  doc["supportsim_version"] = version;
  doc["scenario"] = {{"name", s.name}, {"source", s.source}};
  doc["seed"] = s.seed;
  doc["replications"] = s.replications;
  const sim::Clock clock(s.organisation.start);
  doc["start_utc"] = clock.format_utc(sim::SimTime::zero());
  doc["measured_from_utc"] = clock.format_utc(sim::SimTime::zero() + s.warmup);
  doc["measured_to_utc"] = clock.format_utc(sim::SimTime::zero() + s.organisation.horizon);
  doc["warmup_days"] = s.warmup.to_hours() / 24;
  doc["measured_days"] = (s.organisation.horizon - s.warmup).to_hours() / 24;
  const std::size_t regions = region_count(r);
  ordered_json list = ordered_json::array();
  for (std::size_t q = 0; q < regions; ++q)
    list.push_back(region_json(summary, q));
  doc["regions"] = std::move(list);
  doc["all"] = region_json(summary, regions);
  doc["segments"] =
      breakdown_json(r, models::segment_names,
                     [](const ReplicationFigures &rep, std::size_t k) -> const CaseFigures & {
                       return rep.by_segment[k];
                     });
  doc["channels"] =
      breakdown_json(r, models::channel_names,
                     [](const ReplicationFigures &rep, std::size_t k) -> const CaseFigures & {
                       return rep.by_channel[k];
                     });
  doc["agent_groups"] = agent_groups_json(r);
  ordered_json consistency;
  for (const RegionalSpread &f : summary.spread)
    consistency[f.figure] = json_number(f.cv);
  doc["regional_spread"] = std::move(consistency);
  doc["demand"] = demand_json(summary);
  doc["forecast_variance"] = variance_json(summary.variance, r);
  doc["callcentre"] = callcentre_json(summary);
  doc["scorecard"] = scorecard_json(summary.scorecard);
  return doc.dump(2) + "\n";
}

std::string render_summary_csv(const ExperimentResult &r) {
  const scenarios::Scenario &s = r.scenario;
  std::string out = "region,priority,sla_attainment_goal";
  for (const Figure &f : figures)
    out += fmt::format(",{0}_mean,{0}_ci95", f.name);
  for (const RegionFigure &f : region_figures)
    out += fmt::format(",{0}_mean,{0}_ci95", f.name);
  out += ",replications\n";
  const std::size_t regions = region_count(r);
  for_each_group(regions, [&](std::size_t q, std::size_t p) {
    const bool whole = p == models::priority_count;
    out += fmt::format("{},{}", csv_field(cell_name(r, q)),
                       whole ? "all" : std::string(models::priority_names[p]));
    out += whole ? "," : fmt::format(",{}", csv_number(s.sla.attainment_target[p]));
    for (const Figure &f : figures) {
      const Estimate e =
          across(r, [&](const ReplicationFigures &rep) { return f.get(cell(rep, q, p)); });
      out += fmt::format(",{},{}", csv_number(e.mean), csv_number(e.half_width));
    }
    for (const RegionFigure &f : region_figures) {
      if (whole) {
        const Estimate e =
            across(r, [&](const ReplicationFigures &rep) { return f.get(region_of(rep, q)); });
        out += fmt::format(",{},{}", csv_number(e.mean), csv_number(e.half_width));
      } else {
        out += ",,";
      }
    }
    out += fmt::format(",{}\n", r.replications.size());
  });
  return out;
}

std::string render_replications_csv(const ExperimentResult &r) {
  std::string out = "replication,region,priority";
  for (const Figure &f : figures)
    out += fmt::format(",{}", f.name);
  for (const RegionFigure &f : region_figures)
    out += fmt::format(",{}", f.name);
  out += "\n";
  for (std::size_t i = 0; i < r.replications.size(); ++i) {
    const ReplicationFigures &rep = r.replications[i];
    for_each_group(rep.regions.size(), [&](std::size_t q, std::size_t p) {
      const bool whole = p == models::priority_count;
      out += fmt::format("{},{},{}", i, csv_field(cell_name(r, q)),
                         whole ? "all" : std::string(models::priority_names[p]));
      for (const Figure &f : figures)
        out += fmt::format(",{}", csv_number(f.get(cell(rep, q, p))));
      for (const RegionFigure &f : region_figures)
        out += fmt::format(",{}", whole ? csv_number(f.get(region_of(rep, q))) : std::string());
      out += "\n";
    });
  }
  return out;
}

} // namespace supportsim::analysis

namespace supportsim::analysis {

std::string render_callcentre_csv(const ExperimentResult &r) {
  std::string out = "interval_start_local,interval_start_utc,region,channel,offered,answered,"
                    "abandoned,p_wait_zero,mean_wait_queued_seconds,p_abandon_queued";
  if (r.replications.empty()) return out + "\n";
  const std::vector<int> &thresholds = r.replications[0].sl_seconds;
  for (int t : thresholds)
    out += fmt::format(",sl_{}s", t);
  out += "\n";
  const sim::Clock clock(r.scenario.organisation.start);
  const double replications = static_cast<double>(r.replications.size());
  for (std::size_t q = 0; q < r.replications[0].regions.size(); ++q) {
    const RegionFigures &first = r.replications[0].regions[q];
    for (std::size_t k = 0; k < synchronous_channel_count; ++k)
      for (std::size_t h = 0; h < first.local_hour_starts.size(); ++h) {
        // Pooled over the replications: counts per replication, ratios of the summed tallies.
        QueueTally pooled(thresholds.size());
        for (const ReplicationFigures &rep : r.replications)
          pooled.add(rep.regions[q].callcentre[k].hours[h]);
        out += fmt::format(
            "{},{},{},{},{},{},{},{},{},{}", first.local_hour_labels[h],
            clock.format_utc(clock.from_utc(first.local_hour_starts[h])), csv_field(first.name),
            models::channel_names[k], csv_number(pooled.offered / replications),
            csv_number(pooled.answered / replications), csv_number(pooled.abandoned / replications),
            csv_number(pooled.p_wait_zero()), csv_number(pooled.mean_wait_queued_seconds()),
            csv_number(pooled.p_abandon_queued()));
        for (std::size_t t = 0; t < thresholds.size(); ++t)
          out += fmt::format(",{}", csv_number(pooled.service_level(t)));
        out += "\n";
      }
  }
  return out;
}

} // namespace supportsim::analysis
