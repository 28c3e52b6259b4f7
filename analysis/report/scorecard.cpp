#include "analysis/report/scorecard.hpp"

#include "analysis/report/format.hpp"
#include "analysis/report/summary.hpp"
#include "models/organisation.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace supportsim::analysis {

namespace {

/// A plain number (computed from means, the same in every replication) as an Estimate.
Estimate plain(double x, std::size_t replications) {
  return {x, NAN, std::isnan(x) ? 0u : static_cast<std::uint32_t>(replications)};
}

/// A line judged by an existing TargetCheck (Summary's SLA and utilisation checks).
ScorecardLine from_check(std::string region, std::string label, const TargetCheck &check) {
  ScorecardLine line{
      std::move(region), std::move(label), check.value, check.goal, Verdict::not_judged, {}, {}};
  if (!check.judged())
    line.note = "no cases of it in the window";
  else
    line.verdict = check.met ? Verdict::met : Verdict::miss;
  return line;
}

ScorecardTarget sla_target(const Summary &s, std::string key, std::string title,
                           std::initializer_list<std::size_t> priorities) {
  ScorecardTarget t;
  t.key = std::move(key);
  t.title = std::move(title);
  t.rule = "per region and for the organisation, each priority's mean first-response SLA "
           "attainment over the replications at least its goal (sla.targets)";
  t.comparison = Comparison::at_least;
  t.unit = ScorecardUnit::share;
  for (std::size_t q = 0; q <= s.region_count(); ++q)
    for (const std::size_t p : priorities)
      t.lines.push_back(
          from_check(q == s.region_count() ? "all" : s.run.replications[0].regions[q].name,
                     std::string(models::priority_names[p]), s.sla[q][p]));
  return t;
}

ScorecardTarget utilisation_target(const Summary &s) {
  ScorecardTarget t;
  t.key = "utilisation";
  t.title = "utilisation (productive time)";
  t.rule = "per region and for the organisation, the agents' mean utilisation (busy / available "
           "time) over the replications at least sla.utilisation_target";
  for (std::size_t q = 0; q <= s.region_count(); ++q) {
    ScorecardLine line =
        from_check(q == s.region_count() ? "all" : s.run.replications[0].regions[q].name, "",
                   s.utilisation[q]);
    if (line.verdict == Verdict::not_judged) line.note = "no agent time available in the window";
    t.lines.push_back(std::move(line));
  }
  return t;
}

ScorecardTarget variance_target(const Summary &s) {
  ScorecardTarget t;
  t.key = "forecast_variance";
  t.title = "forecast variance";
  t.rule = "per region, the largest |variance| of its weekly forecast-variance rows (volume, "
           "handled, SLA attainment, utilisation, workload FTE; rows without a forecast left out) "
           "at most sla.forecast_variance_max, i.e. no row flagged; the organisation's line is the "
           "largest over the regions";
  t.comparison = Comparison::at_most;
  t.unit = ScorecardUnit::change;
  const VarianceReport &v = s.variance;
  const double limit = v.threshold; // sla.forecast_variance_max
  const std::size_t replications = s.run.replications.size();
  const std::size_t weeks = v.week_starts.size();
  // Per region, then the organisation (index = regions).
  struct Extreme {
    double largest = NAN;
    std::size_t rows = 0, off = 0;
    std::string where;
  };
  std::vector<Extreme> extremes(v.regions.size() + 1);
  for (const VarianceRow &row : v.rows) {
    if (std::isnan(row.variance)) continue;
    for (Extreme *e : {&extremes[row.region], &extremes.back()}) {
      ++e->rows;
      e->off += row.flagged; // the variance report's own flag: one judgement of "off"
      if (std::isnan(e->largest) || std::abs(row.variance) > std::abs(e->largest)) {
        e->largest = row.variance;
        e->where =
            fmt::format("{} {} week {}", v.regions[row.region],
                        variance_figure_names[static_cast<std::size_t>(row.figure)], row.week + 1);
      }
    }
  }
  for (std::size_t q = 0; q < extremes.size(); ++q) {
    const Extreme &e = extremes[q];
    ScorecardLine line;
    line.region = q == v.regions.size() ? "all" : v.regions[q];
    line.value = plain(e.largest, replications);
    line.goal = limit;
    if (e.rows == 0) {
      line.note = weeks == 0 ? "no week in the window" : "no row has a forecast";
    } else {
      line.verdict = e.off == 0 ? Verdict::met : Verdict::miss;
      line.note = fmt::format("{} of {} rows beyond ±{}; largest: {}", e.off, e.rows,
                              format_goal(limit), e.where);
    }
    t.lines.push_back(std::move(line));
  }
  return t;
}

ScorecardTarget cost_target(const Summary &s) {
  ScorecardTarget t;
  t.key = "cost_per_resolved_trend";
  t.title = "cost per resolved case trend";
  t.rule = "per region and for the organisation, per calendar month (UTC) of the window the cost "
           "of the month's days over the cases resolved in them; the trend is (last month - first "
           "month) / first month, per replication; falling when its mean is below 0";
  t.comparison = Comparison::falling;
  t.unit = ScorecardUnit::change;
  // Cost and resolved cases are measured for the whole window only (RegionFigures), not per
  // day, so no month has a figure of its own yet.
  const std::string why = "no cost or resolved cases per month (measured over the whole window "
                          "only)";
  for (std::size_t q = 0; q <= s.region_count(); ++q) {
    ScorecardLine line;
    line.region = q == s.region_count() ? "all" : s.run.replications[0].regions[q].name;
    line.note = why;
    t.lines.push_back(std::move(line));
  }
  t.note = why;
  return t;
}

ScorecardTarget consistency_target(const Summary &s) {
  ScorecardTarget t;
  t.key = "regional_consistency";
  t.title = "regional consistency";
  t.rule = "per key figure (each region's SLA attainment, ASA, abandonment, utilisation, cost per "
           "resolved case), the coefficient of variation of the regions' means (the regional "
           "spread) at most sla.regional_spread_max";
  t.comparison = Comparison::at_most;
  const double limit = s.run.scenario.sla.regional_spread_max;
  for (const RegionalSpread &f : s.spread) {
    ScorecardLine line;
    line.label = f.figure;
    line.value = plain(f.cv, s.run.replications.size());
    line.goal = limit;
    if (std::isnan(f.cv))
      line.note = "fewer than two regions with a value";
    else
      line.verdict = f.above_goal ? Verdict::miss : Verdict::met;
    t.lines.push_back(std::move(line));
  }
  return t;
}

ScorecardTarget volume_target(const Summary &s) {
  ScorecardTarget t;
  t.key = "cases_per_month";
  t.title = "cases per month";
  t.rule = fmt::format("the organisation's cases that arrived in the window per replication, "
                       "scaled to a month of {} days (a twelfth of a year, the scenario's month): "
                       "cases x {} / measured days; at least {:g}",
                       models::days_per_month, models::days_per_month, mission_cases_per_month);
  t.unit = ScorecardUnit::cases;
  const double days = (s.run.scenario.organisation.horizon - s.run.scenario.warmup).to_hours() / 24;
  ScorecardLine line;
  line.region = "all";
  line.goal = mission_cases_per_month;
  line.value = across(s.run, [&](const ReplicationFigures &rep) {
    return days > 0 ? static_cast<double>(rep.all.all.offered) * models::days_per_month / days
                    : NAN;
  });
  if (line.value.n == 0)
    line.note = "no measured window";
  else
    line.verdict = line.value.mean >= line.goal ? Verdict::met : Verdict::miss;
  t.lines.push_back(std::move(line));
  return t;
}

} // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
  case Verdict::met:
    return "met";
  case Verdict::miss:
    return "miss";
  case Verdict::not_judged:
    break;
  }
  return "not_judged";
}

std::string_view comparison_name(Comparison c) {
  switch (c) {
  case Comparison::at_least:
    return "at_least";
  case Comparison::at_most:
    return "at_most";
  case Comparison::falling:
    break;
  }
  return "falling";
}

std::string_view unit_name(ScorecardUnit u) {
  switch (u) {
  case ScorecardUnit::share:
    return "share";
  case ScorecardUnit::change:
    return "change";
  case ScorecardUnit::money:
    return "money";
  case ScorecardUnit::cases:
    break;
  }
  return "cases";
}

Verdict overall_verdict(const std::vector<ScorecardLine> &lines) {
  bool met = false;
  for (const ScorecardLine &line : lines) {
    if (line.verdict == Verdict::miss) return Verdict::miss;
    met = met || line.verdict == Verdict::met;
  }
  return met ? Verdict::met : Verdict::not_judged;
}

Scorecard judge_scorecard(const Summary &s) {
  Scorecard card;
  if (s.run.replications.empty()) {
    for (const auto &[key, title] : std::array<std::pair<const char *, const char *>, 7>{{
             {"sla_p1_p2", "SLA attainment P1/P2"},
             {"sla_p3_p4", "SLA attainment P3/P4"},
             {"utilisation", "utilisation (productive time)"},
             {"forecast_variance", "forecast variance"},
             {"cost_per_resolved_trend", "cost per resolved case trend"},
             {"regional_consistency", "regional consistency"},
             {"cases_per_month", "cases per month"},
         }}) {
      ScorecardTarget t;
      t.key = key;
      t.title = title;
      t.note = "no replication was run";
      card.targets.push_back(std::move(t));
    }
    return card;
  }
  card.targets.push_back(sla_target(s, "sla_p1_p2", "SLA attainment P1/P2", {0, 1}));
  card.targets.push_back(sla_target(s, "sla_p3_p4", "SLA attainment P3/P4", {2, 3}));
  card.targets.push_back(utilisation_target(s));
  card.targets.push_back(variance_target(s));
  card.targets.push_back(cost_target(s));
  card.targets.push_back(consistency_target(s));
  card.targets.push_back(volume_target(s));
  for (ScorecardTarget &t : card.targets) {
    t.verdict = overall_verdict(t.lines);
    if (t.verdict == Verdict::not_judged && t.note.empty())
      t.note = t.lines.empty() ? "nothing to judge" : t.lines.front().note;
  }
  return card;
}

std::string format_scorecard_value(const Estimate &e, ScorecardUnit unit, bool with_half_width) {
  const double half = with_half_width ? e.half_width : NAN;
  switch (unit) {
  case ScorecardUnit::share:
    return format_percent(e.mean, half);
  case ScorecardUnit::change: {
    const std::string change = format_signed_percent(e.mean);
    return std::isnan(e.mean) || std::isnan(half) ? change
                                                  : fmt::format("{} ± {:.1f}", change, 100 * half);
  }
  case ScorecardUnit::money:
    return std::isnan(e.mean) || std::isnan(half) ? format_money(e.mean)
                                                  : fmt::format("{:.2f} ± {:.2f}", e.mean, half);
  case ScorecardUnit::cases:
    break;
  }
  return format_amount({e.mean, half, e.n});
}

std::string format_scorecard_goal(const ScorecardTarget &t) {
  if (t.comparison == Comparison::falling) return "falling";
  std::vector<double> goals;
  for (const ScorecardLine &line : t.lines)
    if (std::find(goals.begin(), goals.end(), line.goal) == goals.end()) goals.push_back(line.goal);
  std::vector<std::string> shown;
  for (const double goal : goals)
    shown.push_back(t.unit == ScorecardUnit::cases ? fmt::format("{:g}", goal) : format_goal(goal));
  return fmt::format("{} {}", t.comparison == Comparison::at_least ? "≥" : "≤",
                     shown.empty() ? std::string("-") : join(shown, "/"));
}

std::string render_scorecard_csv(const Scorecard &card) {
  std::string out = "target,title,region,label,unit,comparison,goal,value_mean,value_ci95,verdict,"
                    "target_verdict,note\n";
  for (const ScorecardTarget &t : card.targets) {
    const std::string head = fmt::format("{},{}", csv_field(t.key), csv_field(t.title));
    if (t.lines.empty())
      out += fmt::format("{},,,{},{},,,,{},{},{}\n", head, unit_name(t.unit),
                         comparison_name(t.comparison), verdict_name(t.verdict),
                         verdict_name(t.verdict), csv_field(t.note));
    for (const ScorecardLine &line : t.lines) {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", head, csv_field(line.region),
                         csv_field(line.label), unit_name(t.unit), comparison_name(t.comparison),
                         csv_number(line.goal), csv_number(line.value.mean),
                         csv_number(line.value.half_width), verdict_name(line.verdict),
                         verdict_name(t.verdict), csv_field(line.note));
      // The periods behind the line: figures shown, not judged, so no goal or verdict.
      for (const ScorecardPeriod &period : line.periods)
        out += fmt::format("{},{},{},money,,,{},{},,{},{}\n", head, csv_field(line.region),
                           csv_field(period.label), csv_number(period.value.mean),
                           csv_number(period.value.half_width), verdict_name(t.verdict),
                           csv_field(fmt::format("month of the trend of {}", line.region)));
    }
  }
  return out;
}

} // namespace supportsim::analysis
