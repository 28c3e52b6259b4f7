#pragma once

// The mission's seven targets side by side (docs/metrics.md, "Scorecard"; /work/shared's
// PRODUCT.md): each judged once here, from a Summary, into one Scorecard value that the terminal
// table, summary.json, scorecard.csv, results.xlsx and report.html only format.
//
//   1 sla_p1_p2              SLA attainment of P1 and P2, each at least its sla.targets goal
//   2 sla_p3_p4              the same for P3 and P4
//   3 utilisation            agents' utilisation at least sla.utilisation_target
//   4 forecast_variance      the largest |weekly variance| against the capacity forecast at most
//                            sla.forecast_variance_max
//   5 cost_per_resolved_trend  cost per resolved case falling from month to month
//   6 regional_consistency   each key figure's coefficient of variation across regions at most
//                            sla.regional_spread_max
//   7 cases_per_month        the organisation's cases per month at least 10,000

#include "analysis/metrics/statistics.hpp"

#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

struct Summary;

/// What a target or one of its lines came to.
enum class Verdict {
  met,        ///< the figure reaches its goal
  miss,       ///< it does not
  not_judged, ///< there is nothing to judge (no cases, one region, no data): the note says why
};

/// The verdict's name in files: "met", "miss", "not_judged".
std::string_view verdict_name(Verdict v);

/// How a line's value is held to its goal.
enum class Comparison {
  at_least, ///< value >= goal
  at_most,  ///< value <= goal (a spread, the size of a variance)
  falling,  ///< value < goal, with goal 0: a relative change that must be negative
};

/// "at_least", "at_most", "falling".
std::string_view comparison_name(Comparison c);

/// What a value measures, so that every renderer formats it the same way.
enum class ScorecardUnit {
  share,  ///< a fraction shown as a percentage (0.95 -> 95%)
  change, ///< a signed relative change shown as a signed percentage (-0.031 -> -3.1%)
  money,  ///< the scenario's currency
  cases,  ///< a number of cases
};

/// "share", "change", "money", "cases" (the `unit` column of scorecard.csv).
std::string_view unit_name(ScorecardUnit u);

/// A figure of one period (a calendar month "2027-02") behind a line's value.
struct ScorecardPeriod {
  std::string label;
  Estimate value{}; ///< over the replications
};

/// One judged figure of a target: a region's (or the organisation's) figure, or one key figure
/// across the regions.
struct ScorecardLine {
  std::string region; ///< a region's name, "all" for the organisation, "" for across regions
  std::string label;  ///< within it: "P1", a key figure ("asa_minutes"), or ""
  /// Mean and 95 % half-width over the replications; a half-width of NaN where the figure is
  /// computed from means (a variance, a spread), and a mean of NaN where there is none.
  Estimate value{NAN, NAN, 0};
  double goal = 0; ///< held to by the target's comparison
  Verdict verdict = Verdict::not_judged;
  std::string note; ///< why it cannot be judged, or what the value is made of; may be empty
  /// The periods the value is computed from, in order (the months of a trend); else empty.
  std::vector<ScorecardPeriod> periods;
};

/// One of the seven targets: its rule, its lines (regions in scenario order, then the
/// organisation "all"; or one per key figure) and the verdict over them: a miss if any line
/// misses, met if none misses and at least one is met, else not judged.
struct ScorecardTarget {
  std::string key;   ///< "sla_p1_p2", ... (as listed above), stable for files
  std::string title; ///< for people: "SLA attainment P1/P2"
  std::string rule;  ///< the exact rule in one sentence (docs/metrics.md has the same)
  Comparison comparison = Comparison::at_least;
  ScorecardUnit unit = ScorecardUnit::share;
  Verdict verdict = Verdict::not_judged;
  std::string note; ///< why the target as a whole cannot be judged; else empty
  std::vector<ScorecardLine> lines;
};

/// The seven targets, in the order listed at the top of this file.
struct Scorecard {
  std::vector<ScorecardTarget> targets;
};

/// The scale of the organisation the mission describes: at least this many cases a month.
inline constexpr double mission_cases_per_month = 10'000;

/// Judges the seven targets of `summary` (its run, forecasts, SLA and utilisation checks and
/// regional spread, computed once in Summary). Deterministic. Without replications every target
/// is not judged.
Scorecard judge_scorecard(const Summary &summary);

/// The verdict over a target's lines: a miss if any misses, met if any is met, else not judged.
Verdict overall_verdict(const std::vector<ScorecardLine> &lines);

/// A line's value for people, as the terminal table and report.html show it: a share "95.1% ±
/// 0.4", a change "+3.1% ± 0.8", money "41.37 ± 0.52", cases "14887 ± 120" (without the
/// half-width when it has none or `with_half_width` is false); "-" when undefined.
std::string format_scorecard_value(const Estimate &value, ScorecardUnit unit,
                                   bool with_half_width = true);

/// The target's goal for people: "≥ 95%", "≤ 10%", "falling", "≥ 10000"; goals that differ
/// between lines (P1 and P2 with their own targets) are joined by "/" ("≥ 95%/90%").
std::string format_scorecard_goal(const ScorecardTarget &target);

/// scorecard.csv: one row per line of every target, then a row per period of lines that have
/// periods: `target,title,region,label,unit,comparison,goal,value_mean,value_ci95,verdict,
/// target_verdict,note`.
std::string render_scorecard_csv(const Scorecard &scorecard);

} // namespace supportsim::analysis
