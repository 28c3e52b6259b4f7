#include "analysis/plan/plan.hpp"

#include "analysis/forecast/capacity.hpp"
#include "analysis/report/format.hpp"
#include "analysis/report/report.hpp"
#include "scenarios/override.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

namespace supportsim::analysis {

namespace {

using nlohmann::ordered_json;

const std::string &region_of(const models::OrganisationConfig &org,
                             const models::AgentGroupConfig &g) {
  return org.regions[org.sites[g.site].region].name;
}

/// Headcounts to try, simulated once each: the search asks again for the same vector often
/// (bisection re-checks, passes), and with common random numbers the answer is the same.
class Evaluator {
public:
  Evaluator(const scenarios::Scenario &scenario, const PlanOptions &options, PlanResult &result)
      : scenario_(scenario), options_(options), result_(result) {}

  /// The evaluation of `headcounts`, simulating it if it is new. Returns nothing when the
  /// budget is spent.
  const PlanEvaluation *operator()(const std::vector<std::uint32_t> &headcounts,
                                   std::string_view step) {
    const auto known = memo_.find(headcounts);
    if (known != memo_.end()) return &known->second;
    if (result_.evaluations >= options_.max_evaluations) {
      result_.budget_exhausted = true;
      return nullptr;
    }
    const auto [at, inserted] =
        memo_.emplace(headcounts, simulate(headcounts, options_.seed, step));
    return &at->second;
  }

  /// Simulates `headcounts` with `seed`, outside the memo (the confirmation).
  PlanEvaluation simulate(const std::vector<std::uint32_t> &headcounts, std::uint64_t seed,
                          std::string_view step) {
    scenarios::Scenario s = scenario_;
    for (std::size_t g = 0; g < headcounts.size(); ++g)
      s.organisation.agent_groups[g].headcount = headcounts[g];
    PlanEvaluation e;
    e.headcounts = headcounts;
    // Nobody on the front line: the model would have no one to take new cases (the loader
    // refuses such a scenario); no target can be met.
    const bool staffed =
        std::any_of(s.organisation.agent_groups.begin(), s.organisation.agent_groups.end(),
                    [&](const models::AgentGroupConfig &g) {
                      return g.headcount > 0 &&
                             s.organisation.tiers[g.tier].role == models::TierRole::front_line;
                    });
    ++result_.evaluations;
    if (!staffed) {
      e.cost = {NAN, NAN, 0};
      e.meets = false;
    } else {
      RunOptions run;
      run.seed = seed;
      run.replications = options_.replications;
      run.jobs = options_.jobs;
      run.cancel = options_.cancel;
      const ExperimentResult r = run_experiment(s, run);
      result_.replications_run += r.replications.size();
      e.cost = across(r, [](const ReplicationFigures &rep) { return rep.all.cost; });
      e.meets = true;
      for (std::size_t q = 0; q < s.organisation.regions.size(); ++q)
        for (std::size_t p = 0; p < models::priority_count; ++p) {
          PlanConstraint c;
          c.region = q;
          c.priority = p;
          c.target = options_.targets[p];
          c.sla = across(r, [&](const ReplicationFigures &rep) {
            return rep.regions[q].by_priority[p].sla_attainment;
          });
          if (std::isnan(c.sla.mean)) continue; // no cases of this priority here
          const bool interval = options_.with_confidence && !std::isnan(c.sla.half_width);
          c.bound = interval ? c.sla.mean - c.sla.half_width : c.sla.mean;
          c.slack = c.bound - c.target;
          e.meets = e.meets && c.slack >= 0;
          e.constraints.push_back(c);
        }
    }
    if (options_.progress)
      options_.progress(result_.evaluations, std::max(expected_, result_.evaluations), step);
    return e;
  }

  /// The search expects about `remaining` more simulations from here (for the progress bar).
  void expect(std::uint32_t remaining) { expected_ = result_.evaluations + remaining; }

private:
  const scenarios::Scenario &scenario_;
  const PlanOptions &options_;
  PlanResult &result_;
  std::map<std::vector<std::uint32_t>, PlanEvaluation> memo_;
  std::uint32_t expected_ = 0;
};

/// About how many simulations lowering `groups` from `x` takes: one when a group is tight, and
/// a gallop and a bisection over about a fifth of its agents when it is not; the confirmation
/// after them. An estimate for the progress bar only.
std::uint32_t lowering_estimate(const std::vector<std::size_t> &groups,
                                const std::vector<std::uint32_t> &x) {
  std::uint32_t n = 1;
  for (std::size_t g : groups)
    if (x[g] > 0) n += 1 + 2 * static_cast<std::uint32_t>(std::ceil(std::log2(x[g] / 5.0 + 1)));
  return n;
}

/// How far an evaluation is from meeting every target: the sum of the constraints' shortfalls
/// (infinite when nobody is on the front line).
double shortfall(const PlanEvaluation &e) {
  if (std::isnan(e.cost.mean)) return INFINITY;
  double sum = 0;
  for (const PlanConstraint &c : e.constraints)
    sum += std::max(0.0, -c.slack);
  return sum;
}

/// Where the search starts: each region's front-line and TAM agents brought to the headcount
/// the Erlang forecast requires in its busiest week, the difference shared among the chosen
/// groups of the region in proportion to their headcounts.
std::vector<std::uint32_t> erlang_start(const scenarios::Scenario &s,
                                        const std::vector<std::size_t> &chosen,
                                        std::vector<std::string> &steps) {
  const models::OrganisationConfig &org = s.organisation;
  std::vector<std::uint32_t> x;
  for (const auto &g : org.agent_groups)
    x.push_back(g.headcount);
  const CapacityForecast forecast = forecast_capacity(s);
  const std::size_t regions = org.regions.size();
  const std::size_t weeks = forecast.week_starts.size();
  for (std::size_t q = 0; q < regions; ++q) {
    double need = 0;
    for (std::size_t w = 0; w < weeks; ++w)
      need = std::max(need, forecast.cells[w * regions + q].required_headcount);
    if (!std::isfinite(need)) continue;
    double have = 0, chosen_have = 0;
    std::vector<std::size_t> mine;
    for (std::size_t g = 0; g < org.agent_groups.size(); ++g) {
      const auto &group = org.agent_groups[g];
      if (org.sites[group.site].region != q ||
          org.tiers[group.tier].role == models::TierRole::escalation)
        continue;
      have += group.headcount;
      if (std::find(chosen.begin(), chosen.end(), g) != chosen.end()) {
        mine.push_back(g);
        chosen_have += group.headcount;
      }
    }
    if (mine.empty()) continue;
    const double delta = std::ceil(need) - have;
    // The chosen groups' new total, shared in proportion (equally when all are empty), by
    // largest remainder so that the parts add up.
    const double total = std::max(0.0, chosen_have + delta);
    std::vector<double> share(mine.size());
    for (std::size_t i = 0; i < mine.size(); ++i)
      share[i] = chosen_have > 0 ? total * org.agent_groups[mine[i]].headcount / chosen_have
                                 : total / static_cast<double>(mine.size());
    std::uint32_t given = 0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
      x[mine[i]] = static_cast<std::uint32_t>(std::floor(share[i]));
      given += x[mine[i]];
    }
    std::vector<std::size_t> order(mine.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return share[a] - std::floor(share[a]) > share[b] - std::floor(share[b]);
    });
    for (std::size_t i = 0; given < static_cast<std::uint32_t>(std::llround(total)); ++i) {
      ++x[mine[order[i % order.size()]]];
      ++given;
    }
    steps.push_back(fmt::format("Erlang start: {} needs {:.0f} front-line and TAM agents in its "
                                "busiest week, has {:.0f}",
                                org.regions[q].name, std::ceil(need), have));
  }
  return x;
}

std::string priority_name(std::size_t p) {
  return std::string(models::priority_names[p]);
}

} // namespace

std::vector<std::size_t> match_groups(const models::OrganisationConfig &org,
                                      const std::vector<std::string> &patterns) {
  if (patterns.empty()) throw PlanError("expected at least one group pattern, found none");
  std::vector<std::size_t> out;
  for (const std::string &pattern : patterns) {
    const std::vector<std::size_t> matched = scenarios::agent_groups_matching(org, pattern);
    for (const std::size_t g : matched)
      if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    if (matched.empty()) {
      std::string names, labels;
      for (const auto &group : org.agent_groups) {
        names += (names.empty() ? "" : ", ") + group.name;
        const std::string label = scenarios::region_tier(org, group);
        if (labels.find(label) == std::string::npos) labels += (labels.empty() ? "" : ", ") + label;
      }
      throw PlanError(fmt::format("\"{}\" matches no agent group; expected a group name ({}) or "
                                  "REGION-TIER ({}), with * for any characters",
                                  pattern, names, labels));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

models::PerPriority<double> parse_targets(std::string_view text, const scenarios::Scenario &s) {
  models::PerPriority<double> targets = s.sla.attainment_target;
  if (text == "default") return targets;
  models::PerPriority<bool> given{};
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view part = text.substr(at, comma - at);
    const std::size_t eq = part.find('=');
    const auto bad = [&](std::string_view why) {
      return PlanError(fmt::format("\"{}\": {}; expected default, or PRIORITY=SHARE "
                                   "separated by commas (P1=0.97,P3=92%)",
                                   part, why));
    };
    if (eq == std::string_view::npos) throw bad("no '='");
    const std::string name(part.substr(0, eq));
    std::size_t p = models::priority_count;
    for (std::size_t i = 0; i < models::priority_count; ++i)
      if (models::priority_names[i] == name) p = i;
    if (p == models::priority_count) throw bad("no such priority (P1, P2, P3 or P4)");
    if (given[p]) throw bad(fmt::format("{} is given twice; give each priority once", name));
    given[p] = true;
    std::string value(part.substr(eq + 1));
    const bool percent = !value.empty() && value.back() == '%';
    if (percent) value.pop_back();
    double share = NAN;
    try {
      std::size_t used = 0;
      share = std::stod(value, &used);
      if (used != value.size()) share = NAN;
    } catch (const std::exception &) {
    }
    if (percent) share /= 100;
    if (!(share > 0 && share <= 1)) throw bad("the share must be in (0, 1], or a percentage");
    targets[p] = share;
    at = comma + 1;
  }
  return targets;
}

namespace {

/// Each group's least and most headcount under the plan's limits (--min, --max, --no-growth).
struct Bounds {
  std::vector<std::uint32_t> lo, hi;
};

Bounds bounds_of(const PlanOptions &options, const models::OrganisationConfig &org) {
  const std::size_t n = org.agent_groups.size();
  Bounds b{std::vector<std::uint32_t>(n, 0), std::vector<std::uint32_t>(n, UINT32_MAX)};
  for (const HeadcountLimit &limit : options.limits)
    for (std::size_t i = 0; i < limit.groups.size(); ++i) {
      const std::size_t g = limit.groups[i];
      if (limit.at_least)
        b.lo[g] = std::max(b.lo[g], limit.agents[i]);
      else
        b.hi[g] = std::min(b.hi[g], limit.agents[i]);
    }
  for (std::size_t g = 0; g < n; ++g) {
    const models::AgentGroupConfig &group = org.agent_groups[g];
    if (b.lo[g] > b.hi[g])
      throw PlanError(fmt::format("the limits on {} contradict each other: at least {} agents "
                                  "and at most {}",
                                  group.name, b.lo[g], b.hi[g]));
    const bool chosen =
        std::find(options.groups.begin(), options.groups.end(), g) != options.groups.end();
    if (!chosen && (group.headcount < b.lo[g] || group.headcount > b.hi[g]))
      throw PlanError(
          fmt::format("{} keeps the scenario's {} agents (it is not among "
                      "--vary-headcount), outside its limits ({} to {}); add it to "
                      "--vary-headcount or drop the limit",
                      group.name, group.headcount, b.lo[g],
                      b.hi[g] == UINT32_MAX ? std::string("any") : std::to_string(b.hi[g])));
  }
  return b;
}

/// "EMEA de": a cover rule's region and skill, for messages.
std::string cover_subject(const CoverRule &r, const models::OrganisationConfig &org) {
  return fmt::format("{} {}", org.regions[r.region].name,
                     r.language ? org.languages[r.skill] : org.products[r.skill]);
}

/// Brings x within the limits and the cover rules: each chosen group clamped to its bounds,
/// then agents added where they close most of a cover rule's shortfall per unit of cost, until
/// every rule holds. False, with the reason as the last step, when the chosen groups cannot
/// give the cover.
bool within_constraints(std::vector<std::uint32_t> &x, const Bounds &bounds, CoverCheck &cover,
                        const PlanOptions &options, const models::OrganisationConfig &org,
                        std::vector<std::string> &steps) {
  for (const std::size_t g : options.groups)
    x[g] = std::clamp(x[g], bounds.lo[g], bounds.hi[g]);
  for (std::size_t k = 0; k < cover.rules().size(); ++k) {
    std::vector<std::uint32_t> added(x.size(), 0);
    for (CoverState st = cover.state(k, x); st.short_agent_hours > 0; st = cover.state(k, x)) {
      std::size_t best = x.size();
      double best_score = 0;
      for (const std::size_t g : options.groups) {
        if (!cover.counts(k, g) || x[g] >= bounds.hi[g]) continue;
        std::vector<std::uint32_t> y = x;
        ++y[g];
        const double gain = st.short_agent_hours - cover.state(k, y).short_agent_hours;
        const double score = gain / std::max(org.agent_groups[g].cost_per_agent_hour, 1e-9);
        if (score > best_score) best = g, best_score = score;
      }
      if (best == x.size()) {
        const CoverRule &r = cover.rules()[k];
        steps.push_back(fmt::format(
            "{}: cannot be met by the groups the plan may change: at {} {} has {} agent{} "
            "rostered, and no group of --vary-headcount below its --max that works {} there "
            "adds one then",
            r.rule, cover.local_time(k, st.least_at), cover_subject(r, org), st.least,
            st.least == 1 ? "" : "s", r.language ? org.languages[r.skill] : org.products[r.skill]));
        return false;
      }
      ++x[best];
      ++added[best];
    }
    std::string what;
    for (std::size_t g = 0; g < x.size(); ++g)
      if (added[g] > 0)
        what +=
            fmt::format("{}{} +{}", what.empty() ? "" : ", ", org.agent_groups[g].name, added[g]);
    if (!what.empty())
      steps.push_back(fmt::format("{}: the start raised: {}", cover.rules()[k].rule, what));
  }
  return true;
}

/// Each limit's groups and each cover rule as the plan x leaves them.
std::vector<PlanRule> rules_in(const std::vector<std::uint32_t> &x, const PlanOptions &options,
                               CoverCheck &cover, const models::OrganisationConfig &org) {
  std::vector<PlanRule> rules;
  for (const HeadcountLimit &limit : options.limits)
    for (std::size_t i = 0; i < limit.groups.size(); ++i) {
      const std::size_t g = limit.groups[i];
      rules.push_back({limit.rule, org.agent_groups[g].name, limit.agents[i], x[g],
                       x[g] == limit.agents[i], ""});
    }
  for (std::size_t k = 0; k < cover.rules().size(); ++k) {
    const CoverRule &r = cover.rules()[k];
    const CoverState st = cover.state(k, x);
    rules.push_back({r.rule, cover_subject(r, org), r.agents, st.least, st.least <= r.agents,
                     st.slots_of_cover > 0 ? cover.local_time(k, st.least_at) : ""});
  }
  return rules;
}

/// Where the search starts: the Erlang forecast's headcount per region, or the scenario's when
/// that meets every target and the forecast's does not (or misses by less). Nothing when the
/// budget is spent.
const PlanEvaluation *starting_point(const scenarios::Scenario &scenario,
                                     const PlanOptions &options, Evaluator &evaluate,
                                     PlanResult &result) {
  scenarios::Scenario held_to = scenario; // the forecast plans for the plan's targets
  held_to.sla.attainment_target = options.targets;
  result.erlang_headcounts = erlang_start(held_to, options.groups, result.steps);
  const PlanEvaluation *e = evaluate(result.erlang_headcounts, "the Erlang forecast's headcount");
  if (e && !e->meets && (result.scenario.meets || shortfall(result.scenario) < shortfall(*e))) {
    result.steps.push_back("starting from the scenario's headcount, closer to the targets");
    e = &result.scenario;
  }
  return e;
}

/// While a target is missed, adds agents where they buy the most: each chosen group is tried
/// with about 10 % more agents (twice as many steps when none helps), and the one that cuts
/// the total shortfall most per unit of cost is kept. Returns the evaluation reached (x its
/// headcounts), or nothing when the budget ran out.
const PlanEvaluation *add_until_met(const PlanEvaluation *e, std::vector<std::uint32_t> &x,
                                    const models::OrganisationConfig &org,
                                    const PlanOptions &options, const Bounds &bounds,
                                    Evaluator &evaluate, PlanResult &result) {
  for (std::uint32_t widen = 1; e && !e->meets && widen <= 64;) {
    const PlanEvaluation *best = nullptr;
    double best_score = 0;
    std::size_t best_group = 0;
    for (std::size_t g : options.groups) {
      std::vector<std::uint32_t> y = x;
      y[g] = std::min(bounds.hi[g], x[g] + widen * std::max<std::uint32_t>(1, (x[g] + 9) / 10));
      const std::uint32_t more = y[g] - x[g];
      if (more == 0) continue; // at its --max
      const PlanEvaluation *ey =
          evaluate(y, fmt::format("adding agents to {}", org.agent_groups[g].name));
      if (!ey) break;
      const double cost = std::max(org.agent_groups[g].cost_per_agent_hour, 1e-9) * more;
      const double score = (shortfall(*e) - shortfall(*ey)) / cost;
      if (score > best_score) {
        best = ey;
        best_score = score;
        best_group = g;
      }
    }
    if (result.budget_exhausted) return nullptr;
    evaluate.expect(static_cast<std::uint32_t>(options.groups.size()) +
                    lowering_estimate(options.groups, best ? best->headcounts : x));
    if (!best) {
      widen *= 2; // no single group's 10 % helps: try bigger steps
      continue;
    }
    result.steps.push_back(fmt::format("targets missed: {} {} -> {}",
                                       org.agent_groups[best_group].name, x[best_group],
                                       best->headcounts[best_group]));
    e = best;
    x = e->headcounts;
  }
  return e;
}

/// Why the search stopped short of the targets, for the plan's steps.
std::string stopped_short(const PlanEvaluation &e, const models::OrganisationConfig &org) {
  std::string missed;
  for (const PlanConstraint &c : e.constraints)
    if (c.slack < 0)
      missed += fmt::format("{}{} {} ({:.1f}% against {:g}%)", missed.empty() ? "" : ", ",
                            org.regions[c.region].name, models::priority_names[c.priority],
                            100 * c.bound, 100 * c.target);
  return fmt::format(
      "adding agents to the chosen groups stopped helping before every target was met; still "
      "missed: {}. Those may depend on groups the plan may not change (--vary-headcount), or "
      "on skills and languages the chosen groups lack",
      missed);
}

/// The least headcount of group g, below x[g], that still meets every target with the others
/// at x: one fewer first (a tight group costs one simulation), then gallop down (1, 2, 4, ...
/// fewer) to a headcount that misses, and bisect. x[g] itself when one fewer misses.
std::uint32_t lowest_meeting(std::size_t g, const std::vector<std::uint32_t> &x,
                             const models::OrganisationConfig &org, const Bounds &bounds,
                             CoverCheck &cover, Evaluator &evaluate, const PlanResult &result) {
  const std::string step = fmt::format("lowering {}", org.agent_groups[g].name);
  // The cover rules are checked on the roster first: a headcount that breaks one costs no
  // simulation.
  auto meets_with = [&](std::uint32_t h) {
    std::vector<std::uint32_t> y = x;
    y[g] = h;
    if (!cover.holds(y)) return false;
    const PlanEvaluation *ey = evaluate(y, step);
    return ey && ey->meets;
  };
  const std::int64_t floor = bounds.lo[g];
  if (x[g] <= floor || !meets_with(x[g] - 1)) return x[g];
  // Invariant: hi meets every target; lo does not (lo == floor - 1: nothing below the floor).
  std::int64_t hi = x[g] - 1, lo = floor - 1;
  for (std::int64_t stride = 1; hi > floor && !result.budget_exhausted; stride *= 2) {
    const std::int64_t next = std::max<std::int64_t>(floor, hi - stride);
    if (!meets_with(static_cast<std::uint32_t>(next))) {
      lo = next;
      break;
    }
    hi = next;
  }
  while (hi - lo > 1 && !result.budget_exhausted) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (meets_with(static_cast<std::uint32_t>(mid)))
      hi = mid;
    else
      lo = mid;
  }
  return static_cast<std::uint32_t>(hi);
}

/// Lowers each group, most expensive first, to the least headcount that still meets every
/// target with the others fixed. One pass is enough: lowering a later group only takes capacity
/// away, so a group found tight stays tight, and at the end no chosen group can lose an agent
/// without missing a target (as far as more agents never make a target harder to meet).
void lower_groups(std::vector<std::uint32_t> &x, const models::OrganisationConfig &org,
                  const PlanOptions &options, const Bounds &bounds, CoverCheck &cover,
                  Evaluator &evaluate, PlanResult &result) {
  std::vector<std::size_t> order = options.groups;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return org.agent_groups[a].cost_per_agent_hour > org.agent_groups[b].cost_per_agent_hour;
  });
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t g = order[k];
    evaluate.expect(lowering_estimate(std::vector<std::size_t>(order.begin() + k, order.end()), x));
    if (x[g] == 0 || result.budget_exhausted) continue;
    const std::uint32_t lowest = lowest_meeting(g, x, org, bounds, cover, evaluate, result);
    if (lowest == x[g]) continue;
    result.steps.push_back(fmt::format("{} {} -> {}", org.agent_groups[g].name, x[g], lowest));
    x[g] = lowest;
  }
}

} // namespace

PlanResult plan_headcount(const scenarios::Scenario &scenario, const PlanOptions &options) {
  PlanResult result;
  result.options = options;
  if (options.groups.empty()) throw PlanError("expected at least one agent group to vary");
  const models::OrganisationConfig &org = scenario.organisation;
  for (const auto &g : org.agent_groups)
    result.scenario_headcounts.push_back(g.headcount);
  const Bounds bounds = bounds_of(options, org);
  CoverCheck cover(scenario, options.cover);
  Evaluator evaluate(scenario, result.options, result);
  // The scenario, the Erlang start, one round of adding, the lowering and the confirmation.
  evaluate.expect(2 + static_cast<std::uint32_t>(options.groups.size()) +
                  lowering_estimate(options.groups, result.scenario_headcounts));

  const PlanEvaluation *as_is = evaluate(result.scenario_headcounts, "the scenario as it is");
  if (!as_is) throw PlanError("--max-evaluations: expected at least 1");
  result.scenario = *as_is;

  // 1. From the starting point, add agents until every target is met.
  const PlanEvaluation *e = starting_point(scenario, options, evaluate, result);
  std::vector<std::uint32_t> x = e ? e->headcounts : result.erlang_headcounts;
  if (!within_constraints(x, bounds, cover, options, org, result.steps)) return result;
  if (e && x != e->headcounts) e = evaluate(x, "the start, within the constraints");
  e = add_until_met(e, x, org, options, bounds, evaluate, result);
  if (!e) {
    result.steps.push_back("the evaluation budget ran out before any headcount met every target");
    return result;
  }
  if (!e->meets) {
    result.steps.push_back(stopped_short(*e, org));
    return result;
  }

  // 2. Lower each group as far as every target allows.
  lower_groups(x, org, options, bounds, cover, evaluate, result);
  evaluate.expect(1); // the plan itself was simulated while lowering: the confirmation
  result.plan = *evaluate(x, "the plan");
  result.rules = rules_in(x, options, cover, org);

  // 3. The plan on random numbers the search never saw.
  result.confirmation = evaluate.simulate(x, options.seed + 1, "confirming on a fresh seed");
  return result;
}

namespace {

/// The `n` constraints with the least slack, least first.
std::vector<const PlanConstraint *> binding(const PlanEvaluation &e, std::size_t n) {
  std::vector<const PlanConstraint *> out;
  for (const PlanConstraint &c : e.constraints)
    out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](const PlanConstraint *a, const PlanConstraint *b) {
    return a->slack < b->slack;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

std::string describe(const PlanConstraint &c, const scenarios::Scenario &s, bool confidence) {
  return fmt::format("{} {} SLA {} ± {:.1f} ({} {}) against {}{}",
                     s.organisation.regions[c.region].name, priority_name(c.priority),
                     format_percent(c.sla.mean),
                     std::isnan(c.sla.half_width) ? 0.0 : 100 * c.sla.half_width,
                     confidence ? "lower bound" : "mean", format_percent(c.bound),
                     format_percent(c.target), c.slack < 0 ? " MISS" : "");
}

ordered_json evaluation_json(const PlanEvaluation &e, const scenarios::Scenario &s) {
  ordered_json constraints = ordered_json::array();
  for (const PlanConstraint &c : e.constraints)
    constraints.push_back({{"region", s.organisation.regions[c.region].name},
                           {"priority", priority_name(c.priority)},
                           {"target", c.target},
                           {"sla_attainment", mean_ci_json(c.sla)},
                           {"bound", c.bound},
                           {"slack", c.slack}});
  ordered_json headcounts = ordered_json::object();
  for (std::size_t g = 0; g < e.headcounts.size(); ++g)
    headcounts[s.organisation.agent_groups[g].name] = e.headcounts[g];
  return {{"meets_targets", e.meets},
          {"cost", mean_ci_json(e.cost)},
          {"headcounts", headcounts},
          {"constraints", constraints}};
}

/// The plan's title, the targets it meets and how it searched.
std::string plan_heading(const PlanResult &r, const scenarios::Scenario &s) {
  const PlanOptions &o = r.options;
  std::string out = fmt::format("Plan for \"{}\" · {}\n", s.name, s.source);
  std::string targets;
  for (std::size_t p = 0; p < models::priority_count; ++p)
    targets += fmt::format("{}{} {:g}%", p ? " · " : "", priority_name(p), 100 * o.targets[p]);
  out += fmt::format("targets: {} in every region ({})\n", targets,
                     o.with_confidence ? "the 95% CI's lower bound" : "the mean");
  out += fmt::format("the cheapest starting headcount of {} group{} that meets them · {} "
                     "replications, seed {}\n\n",
                     o.groups.size(), o.groups.size() == 1 ? "" : "s", o.replications, o.seed);
  return out;
}

/// One line per varied group: its headcount in the scenario, by Erlang and in the plan.
std::string plan_groups_table(const PlanResult &r, const scenarios::Scenario &s) {
  const models::OrganisationConfig &org = s.organisation;
  const PlanOptions &o = r.options;
  std::size_t width = 5;
  for (std::size_t g : o.groups)
    width = std::max(width, org.agent_groups[g].name.size());
  std::string out =
      fmt::format("{:<{}} {:<8} {:<5} {:>8} {:>7} {:>6} {:>7} {:>11}\n", "group", width, "region",
                  "tier", "scenario", "Erlang", "plan", "change", "cost/hour");
  for (std::size_t g : o.groups) {
    const auto &group = org.agent_groups[g];
    const std::string plan = r.plan ? fmt::format("{}", r.plan->headcounts[g]) : "-";
    const std::string change =
        r.plan ? fmt::format("{:+d}", static_cast<int>(r.plan->headcounts[g]) -
                                          static_cast<int>(r.scenario_headcounts[g]))
               : "-";
    out += fmt::format("{:<{}} {:<8} {:<5} {:>8} {:>7} {:>6} {:>7} {:>11.2f}\n", group.name, width,
                       region_of(org, group), org.tiers[group.tier].name, r.scenario_headcounts[g],
                       r.erlang_headcounts.empty() ? 0u : r.erlang_headcounts[g], plan, change,
                       group.cost_per_agent_hour);
  }
  return out;
}

/// The plan found: its cost, binding targets, the groups it empties and its confirmation.
std::string plan_found(const PlanResult &r, const scenarios::Scenario &s) {
  const PlanOptions &o = r.options;
  const double change = (r.plan->cost.mean - r.scenario.cost.mean) / r.scenario.cost.mean;
  std::string out =
      fmt::format("the plan:     cost {}{} · meets every target\n", format_amount(r.plan->cost),
                  std::isfinite(change) ? fmt::format(" ({:+.1f}%)", 100 * change) : "");
  out += "binding targets (least slack):\n";
  for (const PlanConstraint *c : binding(*r.plan, 3))
    out += "  " + describe(*c, s, o.with_confidence) + "\n";
  if (!r.rules.empty()) out += "limits and cover (binds: the plan sits at it):\n";
  for (const PlanRule &rule : r.rules)
    out +=
        fmt::format("  {}: {} {} (bound {}){}{}\n", rule.rule, rule.subject, rule.plan, rule.bound,
                    rule.where.empty() ? "" : fmt::format(", fewest at {}", rule.where),
                    rule.binds ? " · binds" : "");
  // A group the plan empties is worth a second look: the targets are first responses only,
  // and what the group stood for (named TAMs, a language, a site) may matter beyond them.
  std::string removed;
  for (std::size_t g : o.groups)
    if (r.plan->headcounts[g] == 0 && r.scenario_headcounts[g] > 0)
      removed += (removed.empty() ? "" : ", ") + s.organisation.agent_groups[g].name;
  if (!removed.empty())
    out += wrap_text(fmt::format("removed: {} (no agents in the plan). The targets hold without "
                                 "them, their cases served by the groups routing falls back to "
                                 "(docs/model.md); to keep a group, leave it out of "
                                 "--vary-headcount",
                                 removed),
                     100, "");
  if (r.confirmation) {
    if (r.confirmation->meets) {
      out += fmt::format("confirmed on fresh random numbers (seed {}): meets every target\n",
                         o.seed + 1);
    } else {
      out += fmt::format("NOT confirmed on fresh random numbers (seed {}); there it misses:\n",
                         o.seed + 1);
      for (const PlanConstraint *c : binding(*r.confirmation, 3))
        if (c->slack < 0) out += "  " + describe(*c, s, o.with_confidence) + "\n";
      out += "  (the search tuned the plan to its own random numbers: add replications)\n";
    }
  }
  return out;
}

} // namespace

std::string render_plan_table(const PlanResult &r, const scenarios::Scenario &s) {
  std::string out = plan_heading(r, s);
  out += plan_groups_table(r, s);
  std::size_t misses = 0;
  for (const PlanConstraint &c : r.scenario.constraints)
    misses += c.slack < 0;
  out += fmt::format("\nthe scenario: cost {} · {}\n", format_amount(r.scenario.cost),
                     r.scenario.meets
                         ? "meets every target"
                         : fmt::format("misses {} target{}", misses, misses == 1 ? "" : "s"));
  if (!r.plan)
    out += wrap_text("no plan: " + (r.steps.empty() ? std::string("none found") : r.steps.back()),
                     100, "");
  else
    out += plan_found(r, s);
  out += fmt::format("search: {} headcounts simulated, {} replications{}\n", r.evaluations,
                     r.replications_run,
                     r.budget_exhausted ? " (stopped at --max-evaluations; the plan may not "
                                          "be the cheapest)"
                                        : "");
  return out;
}

std::string render_plan_json(const PlanResult &r, const scenarios::Scenario &s,
                             const std::string &version) {
  const models::OrganisationConfig &org = s.organisation;
  const PlanOptions &o = r.options;
  ordered_json doc;
  doc["supportsim"] = version;
  doc["scenario"] = {{"name", s.name}, {"source", s.source}};
  ordered_json targets = ordered_json::object();
  for (std::size_t p = 0; p < models::priority_count; ++p)
    targets[priority_name(p)] = o.targets[p];
  doc["targets"] = targets;
  doc["with_confidence"] = o.with_confidence;
  doc["seed"] = o.seed;
  doc["replications"] = o.replications;
  ordered_json groups = ordered_json::array();
  for (std::size_t g : o.groups) {
    const auto &group = org.agent_groups[g];
    groups.push_back({{"name", group.name},
                      {"region", region_of(org, group)},
                      {"tier", org.tiers[group.tier].name},
                      {"cost_per_agent_hour", group.cost_per_agent_hour},
                      {"scenario", r.scenario_headcounts[g]},
                      {"erlang", r.erlang_headcounts.empty() ? 0u : r.erlang_headcounts[g]},
                      {"plan", r.plan ? ordered_json(r.plan->headcounts[g]) : ordered_json()}});
  }
  doc["groups"] = groups;
  doc["scenario_evaluation"] = evaluation_json(r.scenario, s);
  doc["plan"] = r.plan ? evaluation_json(*r.plan, s) : ordered_json();
  doc["confirmation"] = r.confirmation ? evaluation_json(*r.confirmation, s) : ordered_json();
  doc["confirmation_seed"] = o.seed + 1;
  doc["evaluations"] = r.evaluations;
  doc["replications_run"] = r.replications_run;
  doc["budget_exhausted"] = r.budget_exhausted;
  ordered_json rules = ordered_json::array();
  for (const PlanRule &rule : r.rules)
    rules.push_back({{"rule", rule.rule},
                     {"subject", rule.subject},
                     {"bound", rule.bound},
                     {"plan", rule.plan},
                     {"binds", rule.binds},
                     {"where", rule.where.empty() ? ordered_json() : ordered_json(rule.where)}});
  doc["rules"] = rules;
  doc["steps"] = r.steps;
  return doc.dump(2) + "\n";
}

std::string render_plan_scenario(const PlanResult &r, const scenarios::Scenario &s) {
  if (!r.plan) return "";
  ordered_json doc;
  if (s.source == "(embedded default)") {
    doc["extends"] = "default";
  } else {
    std::error_code ec;
    const std::filesystem::path path = std::filesystem::weakly_canonical(s.source, ec);
    doc["extends"] = ec ? s.source : path.string();
  }
  doc["name"] = s.name + "-plan";
  doc["description"] = fmt::format("The headcount supportsim plan found for {}: the cheapest that "
                                   "meets every target with the search's {} replications.",
                                   s.name, r.options.replications);
  ordered_json groups = ordered_json::array();
  for (std::size_t g : r.options.groups)
    if (r.plan->headcounts[g] != r.scenario_headcounts[g])
      groups.push_back(
          {{"name", s.organisation.agent_groups[g].name}, {"headcount", r.plan->headcounts[g]}});
  doc["agent_groups"] = groups;
  return doc.dump(2) + "\n";
}

} // namespace supportsim::analysis
