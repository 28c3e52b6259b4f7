#include "analysis/forecast/capacity.hpp"

#include "analysis/backtest/interval_grid.hpp"
#include "analysis/forecast/demand.hpp"
#include "analysis/forecast/erlang.hpp"
#include "analysis/report/format.hpp"
#include "models/demand.hpp"
#include "models/routing/rules.hpp"
#include "sim/clock.hpp"

#include <algorithm>
#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <chrono>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <optional>
#include <queue>
#include <stdexcept>

namespace supportsim::analysis {

namespace {

using models::AgentGroupConfig;
using models::OrganisationConfig;
using models::TierRole;

constexpr double week_minutes_full = 7 * 24 * 60;
/// The model clamps touches to [1, 1000] (models/case/birth.cpp).
constexpr int max_touches = 1000;

double parameter(const sim::DistributionSpec &spec, std::string_view name) {
  for (const auto &[key, value] : spec.parameters)
    if (key == name) return value;
  throw std::invalid_argument(fmt::format("forecast: {} distribution without {}", spec.type, name));
}

/// P(X > x) for a distribution as the scenario states it.
double survival(const sim::DistributionSpec &spec, double x) {
  if (spec.type == "constant") return parameter(spec, "value") > x ? 1.0 : 0.0;
  if (spec.type == "exponential") return std::exp(-x / parameter(spec, "mean"));
  if (spec.type == "lognormal") {
    const double mean = parameter(spec, "mean"), cv = parameter(spec, "cv");
    const double sigma2 = std::log1p(cv * cv);
    const boost::math::lognormal_distribution<double> d(std::log(mean) - sigma2 / 2,
                                                        std::sqrt(sigma2));
    return x <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(d, x));
  }
  if (spec.type == "gamma") {
    const double mean = parameter(spec, "mean"), cv = parameter(spec, "cv");
    const double shape = 1 / (cv * cv), scale = mean * cv * cv;
    return x <= 0 ? 1.0 : boost::math::gamma_q(shape, x / scale);
  }
  if (spec.type == "weibull")
    return x <= 0 ? 1.0
                  : std::exp(-std::pow(x / parameter(spec, "scale"), parameter(spec, "shape")));
  if (spec.type == "uniform") {
    const double lo = parameter(spec, "min"), hi = parameter(spec, "max");
    if (hi <= lo) return lo > x ? 1.0 : 0.0;
    return std::clamp((hi - x) / (hi - lo), 0.0, 1.0);
  }
  if (spec.type == "empirical") {
    if (spec.values.empty()) return 0.0;
    const auto above =
        std::count_if(spec.values.begin(), spec.values.end(), [x](double v) { return v > x; });
    return double(above) / double(spec.values.size());
  }
  if (spec.type == "mixture") {
    double total = 0, weight = 0;
    for (const auto &[w, part] : spec.components) {
      total += w * survival(part, x);
      weight += w;
    }
    return weight > 0 ? total / weight : 0.0;
  }
  throw std::invalid_argument(fmt::format("forecast: unknown distribution type {}", spec.type));
}

/// E[clamp(ceil(X), 1, 1000)] = 1 + sum_{k=1}^{999} P(X > k): exact for every distribution type.
double expected_touches(const sim::Distribution &touches) {
  const sim::DistributionSpec spec = touches.spec();
  double sum = 1;
  for (int k = 1; k < max_touches; ++k) {
    const double s = survival(spec, k);
    sum += s;
    if (s < 1e-15) break; // the survival function only falls
  }
  return sum;
}

/// New work (a case's first touch and its follow-ups) goes to the groups the model routes new
/// cases to at once: the front line, and the TAMs (models/routing/rules.hpp).
bool takes_new_work(const OrganisationConfig &o, const AgentGroupConfig &g) {
  return models::RoutingRules(o).takes_new_cases(g);
}

double normalised(const std::vector<double> &weights, std::size_t i) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  return total > 0 ? weights[i] / total : 0.0;
}

/// Mean of a per-product factor over the product mix (1 where the scenario sets none).
double product_factor(const OrganisationConfig &o, std::size_t product) {
  return o.lifecycle.product_work_factor.empty() ? 1.0 : o.lifecycle.product_work_factor[product];
}

/// Minutes of queue time one agent of the group is available in a full week: each shift
/// pattern's length less its breaks, on its days, one week in rotation_weeks; less shrinkage.
double available_minutes_per_agent_week(const OrganisationConfig &o, const AgentGroupConfig &g) {
  double minutes = 0;
  for (std::size_t s : g.shifts) {
    const models::ShiftConfig &shift = o.shifts[s];
    int length = shift.end.minute - shift.start.minute;
    if (length <= 0) length += 24 * 60; // overnight
    for (const models::BreakConfig &b : shift.breaks)
      length -= b.minutes;
    const auto days = std::count(shift.days.begin(), shift.days.end(), true);
    minutes +=
        double(days) * std::max(length, 0) / std::max<std::uint32_t>(shift.rotation_weeks, 1);
  }
  return minutes * (1 - g.shrinkage.absence) * (1 - g.shrinkage.off_queue);
}

/// Agents of the group from `from` to `to` (minutes of simulated time): the starting headcount
/// plus hires once trained, each counted for the share of the span it is there.
double headcount(const OrganisationConfig &o, const AgentGroupConfig &g, double from, double to) {
  double count = g.headcount;
  for (const models::HiringConfig &h : g.hiring_plan) {
    const auto day = std::chrono::sys_days(h.date);
    const double joined = std::chrono::duration<double, std::ratio<60>>(day - o.start).count() +
                          o.experience.training_weeks * week_minutes_full;
    if (joined >= to) continue;
    count += h.hires * (to - std::max(joined, from)) / (to - from);
  }
  return count;
}

/// How many times more chat work an agent holding up to k chats does per minute: k chats at
/// once, each slowed by chat_slowdown_per_extra_chat for every chat already held, on average
/// (k - 1) / 2 of them.
double chat_throughput(const OrganisationConfig &o, const AgentGroupConfig &g) {
  const double k = std::max<std::uint32_t>(g.chat_concurrency, 1);
  return k / (1 + o.lifecycle.chat_slowdown_per_extra_chat * (k - 1) / 2);
}

/// The chat share of the work minutes (channel mix x mean work minutes).
double chat_work_share(const OrganisationConfig &o) {
  double total = 0;
  for (std::size_t c = 0; c < models::channel_count; ++c)
    total += o.demand.channel_mix[c] * o.lifecycle.work_minutes[c].mean();
  constexpr std::size_t chat = models::index_of(models::Channel::chat);
  return total > 0 ? o.demand.channel_mix[chat] * o.lifecycle.work_minutes[chat].mean() / total
                   : 0.0;
}

/// An agent of the group as Erlang servers: chat concurrency makes the chat share of its work
/// go faster.
double servers_per_agent(const OrganisationConfig &o, const AgentGroupConfig &g,
                         double chat_share) {
  return 1 - chat_share + chat_share * chat_throughput(o, g);
}

struct Workforce {
  double tenure_months = 0; // headcount-weighted mean, groups taking new work
  double proficiency = 1;   // headcount-weighted typical product proficiency
  double escalation = 0;    // headcount-weighted chance a front-line touch escalates
};

Workforce workforce(const OrganisationConfig &o) {
  Workforce w;
  double agents = 0, tenure = 0, skill = 0, escalation = 0;
  for (const AgentGroupConfig &g : o.agent_groups) {
    if (!takes_new_work(o, g) || g.headcount == 0) continue;
    const double n = g.headcount;
    agents += n;
    tenure += n * g.tenure_months.mean();
    // Typical proficiency: the product mix over the products the group may work at all.
    double mix = 0, weighted = 0;
    for (std::size_t p = 0; p < o.products.size(); ++p) {
      const double prof = models::product_proficiency(g, p);
      if (prof < o.routing.proficiency_floor) continue;
      const double share = normalised(o.demand.product_mix, p);
      mix += share;
      weighted += share * prof;
    }
    skill += n * (mix > 0 ? weighted / mix : 1.0);
    const models::TierConfig &tier = o.tiers[g.tier];
    if (tier.escalates_to || tier.to_engineering) escalation += n * tier.escalation_probability;
  }
  if (agents > 0) {
    w.tenure_months = tenure / agents;
    w.proficiency = skill / agents;
    w.escalation =
        std::min(escalation / agents * o.experience.escalation.at(w.tenure_months), 0.99);
  }
  return w;
}

/// The Erlang figures of one region-week (or hour) for an integer number of servers.
struct Queue {
  Queue(double rate, double minutes, const OrganisationConfig &organisation)
      : arrival_rate(rate), minutes_per_touch(minutes), o(organisation) {}
  double arrival_rate; // touches per minute
  double minutes_per_touch;
  const OrganisationConfig &o;

  /// Predicted first-response attainment at priority p: the segment and channel mixes of the
  /// share served within the segment's target (Erlang A on channels with patience).
  double sla(int servers, std::size_t p) const {
    if (servers < 1) return 0;
    return sla_by_priority(servers)[p];
  }
  /// Every priority's attainment with `servers`, computed once per server count: the searches
  /// for each priority's required servers visit the same counts, and an Erlang A queue's state
  /// serves every target of its channel.
  const models::PerPriority<double> &sla_by_priority(int servers) const {
    for (const auto &[n, values] : memo)
      if (n == servers) return values;
    models::PerPriority<double> values{};
    const double seg_weight =
        std::accumulate(o.demand.segment_mix.begin(), o.demand.segment_mix.end(), 0.0);
    const double ch_weight =
        std::accumulate(o.demand.channel_mix.begin(), o.demand.channel_mix.end(), 0.0);
    std::array<double, models::segment_count * models::priority_count> targets{}, served{};
    for (std::size_t seg = 0; seg < models::segment_count; ++seg)
      for (std::size_t p = 0; p < models::priority_count; ++p)
        targets[seg * models::priority_count + p] =
            o.service_levels.first_response[seg][p].to_minutes();
    for (std::size_t ch = 0; ch < models::channel_count; ++ch) {
      const double ch_share = o.demand.channel_mix[ch];
      if (ch_share <= 0) continue;
      if (const auto &patience = o.lifecycle.patience_minutes[ch])
        ErlangA{arrival_rate, minutes_per_touch, servers, patience->mean()}.p_served_within(targets,
                                                                                            served);
      else
        for (std::size_t i = 0; i < targets.size(); ++i)
          served[i] = ErlangC{arrival_rate, minutes_per_touch, servers}.service_level(targets[i]);
      for (std::size_t seg = 0; seg < models::segment_count; ++seg)
        for (std::size_t p = 0; p < models::priority_count; ++p)
          values[p] +=
              o.demand.segment_mix[seg] * ch_share * served[seg * models::priority_count + p];
    }
    for (double &v : values)
      v = seg_weight * ch_weight > 0 ? v / (seg_weight * ch_weight) : 0;
    memo.emplace_back(servers, values);
    return memo.back().second;
  }
  mutable std::deque<std::pair<int, models::PerPriority<double>>> memo; // stable references
  /// Channel mix of mean wait (to first response or hanging up), and of abandonment.
  std::pair<double, double> wait_and_abandonment(int servers) const {
    if (servers < 1) return {std::numeric_limits<double>::infinity(), 0};
    double wait = 0, abandon = 0, weight = 0;
    for (std::size_t ch = 0; ch < models::channel_count; ++ch) {
      const double share = o.demand.channel_mix[ch];
      if (share <= 0) continue;
      weight += share;
      if (const auto &patience = o.lifecycle.patience_minutes[ch]) {
        const ErlangA a{arrival_rate, minutes_per_touch, servers, patience->mean()};
        wait += share * a.mean_wait();
        abandon += share * a.p_abandon();
      } else {
        wait += share * ErlangC{arrival_rate, minutes_per_touch, servers}.mean_wait();
      }
    }
    return weight > 0 ? std::pair{wait / weight, abandon / weight} : std::pair{0.0, 0.0};
  }
  /// The fewest servers meeting `target` at priority p.
  int required(std::size_t p, double target) const {
    models::PerPriority<double> targets{};
    targets[p] = target;
    return required(targets, [p](std::size_t q) { return q == p; });
  }
  /// The fewest servers meeting the target of every priority `wanted` picks out.
  template <class Wanted>
  int required(const models::PerPriority<double> &targets, Wanted &&wanted) const {
    auto meets = [&](int n) {
      for (std::size_t p = 0; p < models::priority_count; ++p)
        if (wanted(p) && sla(n, p) < std::min(targets[p], 0.9999)) return false;
      return true;
    };
    const double load = arrival_rate * minutes_per_touch;
    // With Erlang C on every channel, nothing below the load is stable.
    const bool any_patience =
        std::any_of(o.lifecycle.patience_minutes.begin(), o.lifecycle.patience_minutes.end(),
                    [](const auto &d) { return d.has_value(); });
    const int floor = any_patience ? 1 : std::max(1, int(std::floor(load)) + 1);
    // Attainment rises with servers. Bracket the answer (lo fails, hi meets; 0 servers always
    // fail) by galloping up from a guess near the load, where staffing usually lands, then
    // bisect. Past `cap` (ten times the load) the target is out of reach: cap is returned.
    const int cap = int(std::min(1e8, 10 * load + 1000));
    int hi = std::min(std::max(floor, int(std::ceil(load))), cap), lo = floor - 1;
    if (!meets(hi)) {
      int step = std::max(1, int(std::sqrt(load)));
      do {
        lo = hi;
        hi = std::min(hi + step, cap);
        step *= 2;
      } while (hi > lo && !meets(hi));
      if (hi == lo) return cap;
    }
    while (hi - lo > 1) {
      const int mid = lo + (hi - lo) / 2;
      (meets(mid) ? hi : lo) = mid;
    }
    return hi;
  }
};

/// Linear interpolation of f between the integers around a fractional server count.
template <class F> double at_fraction(double servers, F &&f) {
  const double lower = std::floor(servers);
  const double frac = servers - lower;
  const double a = f(int(lower));
  if (frac < 1e-9) return a;
  const double b = f(int(lower) + 1);
  if (!std::isfinite(a)) return b; // no server below: the upper value stands
  return a + frac * (b - a);
}

// --- The capacity network ----------------------------------------------------------------------

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, long long,
        boost::property<boost::edge_residual_capacity_t, long long,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
using Vertex = Traits::vertex_descriptor;

/// Capacities in hundredths of an agent hour, so the max flow is exact integer arithmetic.
constexpr double units_per_hour = 100;

void add_edge_pair(FlowGraph &g, Vertex from, Vertex to, long long capacity) {
  auto capacity_of = boost::get(boost::edge_capacity, g);
  auto reverse_of = boost::get(boost::edge_reverse, g);
  const auto e = boost::add_edge(from, to, g).first;
  const auto r = boost::add_edge(to, from, g).first;
  capacity_of[e] = capacity;
  capacity_of[r] = 0;
  reverse_of[e] = r;
  reverse_of[r] = e;
}

struct DemandClass {
  std::size_t product, language;
  double hours;
};

CapacityCheck check_capacity(const OrganisationConfig &o, std::size_t week,
                             const std::vector<DemandClass> &classes,
                             const std::vector<double> &group_hours) {
  CapacityCheck check;
  check.week = week;
  FlowGraph g;
  const Vertex source = boost::add_vertex(g), sink = boost::add_vertex(g);
  std::vector<Vertex> class_vertex, group_vertex;
  long long total_units = 0;
  for (const DemandClass &c : classes) {
    check.demand_hours += c.hours;
    total_units += std::llround(c.hours * units_per_hour);
  }
  const long long unbounded = total_units + 1;
  for (const DemandClass &c : classes) {
    class_vertex.push_back(boost::add_vertex(g));
    add_edge_pair(g, source, class_vertex.back(), std::llround(c.hours * units_per_hour));
  }
  for (std::size_t k = 0; k < o.agent_groups.size(); ++k) {
    group_vertex.push_back(boost::add_vertex(g));
    add_edge_pair(g, group_vertex.back(), sink, std::llround(group_hours[k] * units_per_hour));
  }
  for (std::size_t i = 0; i < classes.size(); ++i)
    for (std::size_t k = 0; k < o.agent_groups.size(); ++k) {
      const AgentGroupConfig &group = o.agent_groups[k];
      if (!takes_new_work(o, group)) continue;
      // The model's skills rule once a case has overflowed: the floor, the fallback language.
      if (!models::has_skills(o.routing, group, classes[i].product, classes[i].language, true))
        continue;
      add_edge_pair(g, class_vertex[i], group_vertex[k], unbounded);
    }
  const long long flow = boost::push_relabel_max_flow(g, source, sink);
  // Rounding to hundredths of an hour must not show more served than demanded.
  check.servable_hours = std::min(double(flow) / units_per_hour, check.demand_hours);
  check.feasible = flow >= total_units - std::max(1LL, total_units / 1000);
  if (check.feasible) return check;

  // The source side of the minimum cut: what the source reaches in the residual graph.
  auto residual = boost::get(boost::edge_residual_capacity, g);
  std::vector<bool> reached(boost::num_vertices(g), false);
  std::queue<Vertex> frontier;
  reached[source] = true;
  frontier.push(source);
  while (!frontier.empty()) {
    const Vertex v = frontier.front();
    frontier.pop();
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      const Vertex w = boost::target(*e, g);
      if (!reached[w] && residual[*e] > 0) {
        reached[w] = true;
        frontier.push(w);
      }
    }
  }
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (reached[class_vertex[i]])
      check.bottleneck.push_back(fmt::format("demand {}/{}", o.products[classes[i].product],
                                             o.languages[classes[i].language]));
  for (std::size_t k = 0; k < o.agent_groups.size(); ++k)
    if (reached[group_vertex[k]])
      check.bottleneck.push_back(fmt::format("group {}", o.agent_groups[k].name));
  return check;
}

} // namespace

CaseWorkload case_workload(const OrganisationConfig &o) {
  const Workforce w = workforce(o);
  const models::LifecycleConfig &life = o.lifecycle;
  CaseWorkload out;
  // Touches: the exact E[ceil], one more for a reopen, and each escalation repeats a touch at
  // the next tier (a geometric number of repeats).
  const double base = expected_touches(life.touches);
  out.touches = (base + life.reopen_probability) / (1 - w.escalation);

  double channel = 0, channel_weight = 0;
  for (std::size_t c = 0; c < models::channel_count; ++c) {
    channel += o.demand.channel_mix[c] * life.work_minutes[c].mean();
    channel_weight += o.demand.channel_mix[c];
  }
  double priority = 0, priority_weight = 0;
  for (std::size_t p = 0; p < models::priority_count; ++p) {
    priority += o.demand.priority_mix[p] * life.priority_work_factor[p];
    priority_weight += o.demand.priority_mix[p];
  }
  double product = 0;
  for (std::size_t p = 0; p < o.products.size(); ++p)
    product += normalised(o.demand.product_mix, p) * product_factor(o, p);
  if (o.products.empty()) product = 1;
  out.experience_factor = o.experience.handle_time.at(w.tenure_months);
  out.proficiency_factor = 2 - w.proficiency;
  out.minutes_per_touch = (channel_weight > 0 ? channel / channel_weight : 0) *
                          (priority_weight > 0 ? priority / priority_weight : 1) * product *
                          out.experience_factor * out.proficiency_factor;
  out.minutes = out.touches * out.minutes_per_touch;
  return out;
}

namespace {

/// The minutes agents are available in one week, per group and region.
struct WeekSupply {
  std::vector<double> group_hours; ///< as effective servers (chat concurrency in)
  std::vector<double> region_agent_minutes;
  std::vector<double> region_server_minutes;
  std::vector<double> region_heads;
  double all_heads = 0;
  double all_agent_minutes = 0;
};

/// Available hours per group, as agents and as effective servers (chat concurrency in).
WeekSupply week_supply(const OrganisationConfig &o, double from, double to, double week_share,
                       double chat_share) {
  auto effective = [&](const AgentGroupConfig &g) { return servers_per_agent(o, g, chat_share); };
  WeekSupply s;
  s.group_hours.assign(o.agent_groups.size(), 0.0);
  s.region_agent_minutes.assign(o.regions.size(), 0.0);
  s.region_server_minutes.assign(o.regions.size(), 0.0);
  s.region_heads.assign(o.regions.size(), 0.0);
  for (std::size_t k = 0; k < o.agent_groups.size(); ++k) {
    const AgentGroupConfig &g = o.agent_groups[k];
    if (!takes_new_work(o, g)) continue;
    const double heads = headcount(o, g, from, to);
    const double agent_minutes = heads * available_minutes_per_agent_week(o, g) * week_share;
    const std::size_t region = o.sites[g.site].region;
    s.group_hours[k] = agent_minutes * effective(g) / 60;
    s.region_agent_minutes[region] += agent_minutes;
    s.region_server_minutes[region] += agent_minutes * effective(g);
    s.region_heads[region] += heads;
  }
  s.all_heads = std::accumulate(s.region_heads.begin(), s.region_heads.end(), 0.0);
  s.all_agent_minutes =
      std::accumulate(s.region_agent_minutes.begin(), s.region_agent_minutes.end(), 0.0);
  return s;
}

/// One region-week's queue: its load, predicted SLA, wait, abandonment and required headcount.
RegionWeekForecast region_week(const scenarios::Scenario &scenario, const CaseWorkload &workload,
                               const WeekSupply &supply, std::size_t r, std::size_t w, double cases,
                               double minutes) {
  const OrganisationConfig &o = scenario.organisation;
  RegionWeekForecast cell;
  cell.region = r;
  cell.week = w;
  cell.cases = cases;
  cell.workload_hours = cell.cases * workload.minutes / 60;
  auto whole = [](double v) { return std::abs(v - std::round(v)) < 1e-9 ? std::round(v) : v; };
  cell.agents_on_duty = whole(supply.region_agent_minutes[r] / minutes);
  const double on_duty = whole(supply.region_server_minutes[r] / minutes);
  cell.servers_on_duty = on_duty;
  const double servers_per_agent =
      supply.region_agent_minutes[r] > 0
          ? supply.region_server_minutes[r] / supply.region_agent_minutes[r]
          : 1.0;

  const Queue queue{cell.cases * workload.touches / minutes,
                    std::max(workload.minutes_per_touch, 1e-9), o};
  cell.offered_load = queue.arrival_rate * queue.minutes_per_touch;
  cell.utilisation =
      on_duty > 0 ? cell.offered_load / on_duty : std::numeric_limits<double>::infinity();
  cell.target = scenario.sla.attainment_target;
  for (std::size_t p = 0; p < models::priority_count; ++p) {
    const bool demanded = o.demand.priority_mix[p] > 0 && cell.cases > 0;
    cell.sla[p] = demanded ? at_fraction(on_duty, [&](int n) { return queue.sla(n, p); })
                           : std::numeric_limits<double>::quiet_NaN();
    cell.required_by_priority[p] = demanded ? queue.required(p, cell.target[p]) : 0;
    cell.required_on_duty = std::max(cell.required_on_duty, cell.required_by_priority[p]);
  }
  cell.mean_wait_minutes =
      at_fraction(on_duty, [&](int n) { return queue.wait_and_abandonment(n).first; });
  cell.abandonment =
      at_fraction(on_duty, [&](int n) { return queue.wait_and_abandonment(n).second; });
  // Servers to agents (chat concurrency out), then agents on duty to headcount.
  const double required_agents = cell.required_on_duty / servers_per_agent;
  cell.required_on_duty = required_agents;
  const double minutes_per_head =
      supply.region_heads[r] > 0
          ? supply.region_agent_minutes[r] / supply.region_heads[r]
          : (supply.all_heads > 0 ? supply.all_agent_minutes / supply.all_heads : 0);
  cell.required_headcount = minutes_per_head > 0 ? required_agents * minutes / minutes_per_head
                                                 : std::numeric_limits<double>::quiet_NaN();
  cell.available_hours_per_agent = minutes_per_head / 60;
  return cell;
}

/// Adds a region-week's workload hours to each demand class, by its language and product share.
void add_class_hours(std::vector<DemandClass> &classes, const OrganisationConfig &o, std::size_t r,
                     double workload_hours) {
  for (DemandClass &c : classes) {
    const double language =
        o.regions[r].language_mix.empty() ? 1.0 : o.regions[r].language_mix[c.language];
    const double product_mean = [&] {
      double m = 0;
      for (std::size_t p = 0; p < o.products.size(); ++p)
        m += normalised(o.demand.product_mix, p) * product_factor(o, p);
      return m > 0 ? m : 1.0;
    }();
    c.hours += workload_hours * language * normalised(o.demand.product_mix, c.product) *
               product_factor(o, c.product) / product_mean;
  }
}

} // namespace

CapacityForecast forecast_capacity(const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const DemandForecast demand = forecast_demand(o, scenario.warmup);
  CapacityForecast out;
  out.week_starts = demand.week_starts;
  out.workload = case_workload(o);
  out.erlang_a =
      std::any_of(o.lifecycle.patience_minutes.begin(), o.lifecycle.patience_minutes.end(),
                  [](const auto &d) { return d.has_value(); });
  const std::size_t weeks = demand.week_starts.size();
  const sim::SimTime end = sim::SimTime::zero() + o.horizon;
  const double chat_share = chat_work_share(o);

  for (std::size_t w = 0; w < weeks; ++w) {
    const double from = demand.week_starts[w].to_minutes();
    const double to = (w + 1 < weeks ? demand.week_starts[w + 1] : end).to_minutes();
    const double minutes = to - from;
    if (minutes <= 0) continue;
    const WeekSupply supply = week_supply(o, from, to, minutes / week_minutes_full, chat_share);

    std::vector<DemandClass> classes;
    for (std::size_t p = 0; p < o.products.size(); ++p)
      for (std::size_t l = 0; l < o.languages.size(); ++l)
        classes.push_back(DemandClass{p, l, 0.0});
    for (std::size_t r = 0; r < o.regions.size(); ++r) {
      const RegionWeekForecast cell =
          region_week(scenario, out.workload, supply, r, w, demand.regions[r].weeks[w], minutes);
      out.cells.push_back(cell);
      add_class_hours(classes, o, r, cell.workload_hours);
    }
    std::erase_if(classes, [](const DemandClass &c) { return c.hours <= 0; });
    out.capacity.push_back(check_capacity(o, w, classes, supply.group_hours));
  }
  return out;
}

std::vector<std::string> capacity_warnings(const CapacityForecast &forecast,
                                           const scenarios::Scenario &scenario) {
  std::vector<std::string> out;
  for (const CapacityCheck &c : forecast.capacity) {
    if (c.feasible) continue;
    std::string bottleneck;
    for (const std::string &b : c.bottleneck)
      bottleneck += fmt::format("{}{}", bottleneck.empty() ? "" : ", ", b);
    out.push_back(fmt::format(
        "{}: week {}: the offered work, {:.0f} agent-hours, is {:.3g} times what the agents can "
        "serve ({:.0f}); queues grow all week{} (bottleneck: {})",
        scenario.source, c.week + 1, c.demand_hours,
        c.servable_hours > 0 ? c.demand_hours / c.servable_hours : INFINITY, c.servable_hours,
        c.demand_hours > 2 * c.servable_hours
            ? ", and a run stops when it holds more cases open than --max-open-cases"
            : "",
        bottleneck));
  }
  return out;
}

namespace {

/// Adds `minutes` x `weight` of the span [from, to) (simulated minutes) to the bins of `width`
/// minutes of the window that starts at `window` and has bins.size() of them.
void spread_over_bins(std::vector<double> &bins, double width, double window, double from,
                      double to, double weight) {
  from = std::max(from, window);
  to = std::min(to, window + width * static_cast<double>(bins.size()));
  while (from < to) {
    const auto bin = static_cast<std::size_t>((from - window) / width);
    const double bin_end = window + width * static_cast<double>(bin + 1);
    const double until = std::min(to, bin_end);
    bins[bin] += (until - from) * weight;
    from = until;
  }
}

/// Minutes per bin of `width` minutes of the window (an hour, a quarter hour) that one agent of
/// the group is on shift and not on a break, its rota counted in (a pattern worked one week in
/// rotation_weeks counts 1/rotation_weeks), site holidays left out, as the model places shifts
/// and breaks in the site's local time.
std::vector<double> shift_minutes_by_bin(const OrganisationConfig &o, const AgentGroupConfig &g,
                                         sim::SimTime window_start, std::size_t count, int width) {
  using std::chrono::days;
  std::vector<double> bins(count, 0.0);
  const sim::Clock clock(o.start);
  const models::SiteConfig &site = o.sites[g.site];
  const date::time_zone *zone = sim::find_zone(site.time_zone);
  const double window = window_start.to_minutes();
  const sim::SimTime end =
      window_start + sim::Duration::minutes(static_cast<std::int64_t>(count) * width);
  const auto first = std::chrono::floor<days>(clock.to_local(zone, window_start)) - days(1);
  const auto last = std::chrono::floor<days>(clock.to_local(zone, end));
  auto at = [&](std::chrono::local_days day, models::TimeOfDay t) {
    return clock.from_local(zone, sim::LocalTime(day) + std::chrono::minutes(t.minute))
        .to_minutes();
  };
  for (auto day = first; day <= last; day += days(1)) {
    const models::Date date{std::chrono::sys_days(day.time_since_epoch())};
    if (std::find(site.holidays.begin(), site.holidays.end(), date) != site.holidays.end())
      continue;
    for (const std::size_t k : g.shifts) {
      const models::ShiftConfig &p = o.shifts[k];
      if (!p.days[sim::weekday_of(day)]) continue;
      const double weight = 1.0 / std::max<std::uint32_t>(p.rotation_weeks, 1);
      const bool overnight = p.end <= p.start;
      spread_over_bins(bins, width, window, at(day, p.start),
                       at(overnight ? day + days(1) : day, p.end), weight);
      for (const models::BreakConfig &b : p.breaks) {
        const bool next_day = overnight && b.start < p.start;
        const double from = at(next_day ? day + days(1) : day, b.start);
        spread_over_bins(bins, width, window, from, from + b.minutes, -weight);
      }
    }
  }
  for (double &m : bins)
    m = std::max(m, 0.0); // a break placed outside its shift takes nothing
  return bins;
}

/// One interval's queue in steady state: `cases` arriving over `minutes` against the cell's
/// servers and agents on duty give its utilisation, predicted attainment per priority and the
/// agents it requires (an hour of forecast_hours, an interval of forecast_intervals).
template <class Cell>
void steady_state(const scenarios::Scenario &scenario, const CaseWorkload &workload, double cases,
                  double minutes, Cell &cell) {
  const OrganisationConfig &o = scenario.organisation;
  const Queue queue{cases * workload.touches / minutes, std::max(workload.minutes_per_touch, 1e-9),
                    o};
  const double load = queue.arrival_rate * queue.minutes_per_touch;
  cell.utilisation = cell.servers_on_duty > 0 ? load / cell.servers_on_duty
                     : load > 0               ? std::numeric_limits<double>::infinity()
                                              : 0.0;
  const double per_agent =
      cell.agents_on_duty > 0 ? cell.servers_on_duty / cell.agents_on_duty : 1.0;
  double required = 0;
  for (std::size_t p = 0; p < models::priority_count; ++p) {
    const bool demanded = o.demand.priority_mix[p] > 0 && cases > 0;
    cell.sla[p] = demanded
                      ? at_fraction(cell.servers_on_duty, [&](int n) { return queue.sla(n, p); })
                      : std::numeric_limits<double>::quiet_NaN();
    if (demanded)
      required = std::max<double>(required, queue.required(p, scenario.sla.attainment_target[p]));
  }
  cell.required_on_duty = required / per_agent;
}

} // namespace

std::vector<RegionHourForecast> forecast_hours(const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const DemandForecast demand = forecast_demand(o, scenario.warmup);
  const CaseWorkload workload = case_workload(o);
  const std::size_t regions = o.regions.size();
  const std::size_t hours = demand.regions.empty() ? 0 : demand.regions[0].hours.size();
  const sim::SimTime window_start = sim::SimTime::zero() + scenario.warmup;
  const double chat_share = chat_work_share(o);

  // Agent and server minutes per region and hour, from every group taking new work.
  std::vector<std::vector<double>> agent_minutes(regions, std::vector<double>(hours, 0.0));
  std::vector<std::vector<double>> server_minutes = agent_minutes;
  for (const AgentGroupConfig &g : o.agent_groups) {
    if (!takes_new_work(o, g)) continue;
    const std::vector<double> on_shift = shift_minutes_by_bin(o, g, window_start, hours, 60);
    const std::size_t region = o.sites[g.site].region;
    const double present = (1 - g.shrinkage.absence) * (1 - g.shrinkage.off_queue);
    const double servers = servers_per_agent(o, g, chat_share);
    for (std::size_t h = 0; h < hours; ++h) {
      if (on_shift[h] <= 0) continue;
      const double from = window_start.to_minutes() + 60.0 * static_cast<double>(h);
      const double minutes = headcount(o, g, from, from + 60) * on_shift[h] * present;
      agent_minutes[region][h] += minutes;
      server_minutes[region][h] += minutes * servers;
    }
  }

  std::vector<RegionHourForecast> out;
  out.reserve(hours * regions);
  for (std::size_t h = 0; h < hours; ++h)
    for (std::size_t r = 0; r < regions; ++r) {
      RegionHourForecast cell;
      cell.region = r;
      cell.hour = h;
      cell.cases = demand.regions[r].hours[h];
      cell.agents_on_duty = agent_minutes[r][h] / 60;
      cell.servers_on_duty = server_minutes[r][h] / 60;
      steady_state(scenario, workload, cell.cases, 60, cell);
      out.push_back(cell);
    }
  return out;
}

std::vector<RegionIntervalForecast> forecast_intervals(const scenarios::Scenario &scenario,
                                                       int minutes) {
  const OrganisationConfig &o = scenario.organisation;
  const CaseWorkload workload = case_workload(o);
  const std::size_t regions = o.regions.size();
  const sim::Clock clock(o.start);
  const sim::SimTime window_start = sim::SimTime::zero() + scenario.warmup;
  const sim::SimTime window_end = sim::SimTime::zero() + o.horizon;
  if (window_end <= window_start) return {};
  std::vector<const date::time_zone *> zones;
  for (const models::RegionConfig &r : o.regions)
    zones.push_back(sim::find_zone(r.time_zone));
  // The same intervals as a run's (MetricsSink): RegionFigures::intervals[k] is interval k here.
  const backtest::IntervalGrid grid(clock.to_utc(window_start), clock.to_utc(window_end), minutes,
                                    zones);
  // Everything is counted per UTC quarter hour of the window first (every interval of every
  // zone in use is made of whole ones), then summed into each region's intervals.
  constexpr int quarter = 15;
  const double window = window_start.to_minutes();
  const auto quarters =
      static_cast<std::size_t>(std::ceil((window_end.to_minutes() - window) / quarter - 1e-9));
  const double chat_share = chat_work_share(o);
  std::vector<std::vector<double>> agent_minutes(regions, std::vector<double>(quarters, 0.0));
  std::vector<std::vector<double>> server_minutes = agent_minutes;
  for (const AgentGroupConfig &g : o.agent_groups) {
    if (!takes_new_work(o, g)) continue;
    const std::vector<double> on_shift =
        shift_minutes_by_bin(o, g, window_start, quarters, quarter);
    const std::size_t region = o.sites[g.site].region;
    const double present = (1 - g.shrinkage.absence) * (1 - g.shrinkage.off_queue);
    const double servers = servers_per_agent(o, g, chat_share);
    for (std::size_t q = 0; q < quarters; ++q) {
      if (on_shift[q] <= 0) continue;
      const double from = window + quarter * static_cast<double>(q);
      const double agent = headcount(o, g, from, from + quarter) * on_shift[q] * present;
      agent_minutes[region][q] += agent;
      server_minutes[region][q] += agent * servers;
    }
  }
  const models::Demand demand(o, clock, sim::RandomStreams(0, 0), window_end);
  std::vector<RegionIntervalForecast> out;
  for (std::size_t r = 0; r < regions; ++r) {
    const std::size_t first = out.size();
    for (std::size_t k = 0; k < grid.intervals(r); ++k) {
      RegionIntervalForecast cell;
      cell.region = r;
      cell.interval = k;
      cell.start = std::max(grid.start_of(r, k), clock.to_utc(window_start));
      cell.start_local = grid.local_label(r, k);
      cell.hours =
          std::chrono::duration<double, std::ratio<3600>>(grid.end_of(r, k) - cell.start).count();
      out.push_back(std::move(cell));
    }
    // Cases: each piece of constant rate spread over the intervals it overlaps.
    demand.forecast(r, window_start, window_end, [&](sim::SimTime a, sim::SimTime b, double cases) {
      const double length = (b - a).to_minutes();
      for (sim::SimTime at = a; at < b;) {
        const std::size_t k = grid.index(r, clock.to_utc(at));
        if (k == backtest::IntervalGrid::outside) break;
        const sim::SimTime until = std::min(b, clock.from_utc(grid.end_of(r, k)));
        out[first + k].cases += length > 0 ? cases * (until - at).to_minutes() / length : cases;
        at = until;
      }
    });
    for (std::size_t q = 0; q < quarters; ++q) {
      const std::size_t k =
          grid.index(r, clock.to_utc(window_start + sim::Duration::minutes(
                                                        static_cast<std::int64_t>(q) * quarter)));
      if (k == backtest::IntervalGrid::outside) continue;
      out[first + k].agents_on_duty += agent_minutes[r][q];
      out[first + k].servers_on_duty += server_minutes[r][q];
    }
    for (std::size_t k = first; k < out.size(); ++k) {
      RegionIntervalForecast &cell = out[k];
      const double interval_minutes = 60 * cell.hours;
      cell.agents_on_duty /= interval_minutes; // mean agents over the interval
      cell.servers_on_duty /= interval_minutes;
      // The quarter hours of a UTC hour usually share its rate and its agents: the same queue,
      // solved once.
      if (k > first) {
        const RegionIntervalForecast &before = out[k - 1];
        if (before.cases / before.hours == cell.cases / cell.hours &&
            before.agents_on_duty == cell.agents_on_duty &&
            before.servers_on_duty == cell.servers_on_duty) {
          cell.utilisation = before.utilisation;
          cell.sla = before.sla;
          cell.required_on_duty = before.required_on_duty;
          continue;
        }
      }
      // The interval in steady state at its own rate (section 7 of docs/forecast.md).
      steady_state(scenario, workload, cell.cases, interval_minutes, cell);
    }
  }
  return out;
}

std::string render_requirement_table(const std::vector<RegionIntervalForecast> &intervals,
                                     const scenarios::Scenario &scenario, int minutes) {
  const OrganisationConfig &o = scenario.organisation;
  std::string out = fmt::format(
      "Required agents by local {}-minute interval (Erlang {}): mean required / mean on duty "
      "over the window's weeks\n",
      minutes,
      std::any_of(o.lifecycle.patience_minutes.begin(), o.lifecycle.patience_minutes.end(),
                  [](const auto &d) { return d.has_value(); })
          ? "A on live channels, C on email"
          : "C");
  const std::size_t per_day = static_cast<std::size_t>(24 * 60 / minutes);
  for (std::size_t r = 0; r < o.regions.size(); ++r) {
    // Per local weekday and interval of the day: sums and counts over the window.
    std::vector<double> required(7 * per_day, 0.0), on_duty = required, count = required;
    std::size_t short_intervals = 0, all = 0;
    for (const RegionIntervalForecast &c : intervals) {
      if (c.region != r) continue;
      const int year = std::stoi(c.start_local.substr(0, 4));
      const unsigned month = static_cast<unsigned>(std::stoi(c.start_local.substr(5, 2)));
      const unsigned day = static_cast<unsigned>(std::stoi(c.start_local.substr(8, 2)));
      const int minute =
          std::stoi(c.start_local.substr(11, 2)) * 60 + std::stoi(c.start_local.substr(14, 2));
      const std::chrono::local_days date{std::chrono::year{year} / std::chrono::month{month} /
                                         std::chrono::day{day}};
      const std::size_t bin =
          sim::weekday_of(date) * per_day + static_cast<std::size_t>(minute / minutes);
      required[bin] += c.required_on_duty;
      on_duty[bin] += c.agents_on_duty;
      count[bin] += 1;
      ++all;
      if (c.cases > 0 && c.agents_on_duty < c.required_on_duty - 1e-9) ++short_intervals;
    }
    out += fmt::format("{} ({}): {} of {} intervals short\n", o.regions[r].name,
                       o.regions[r].time_zone, short_intervals, all);
    out += "local ";
    for (std::size_t d = 0; d < 7; ++d)
      out += fmt::format(" {:>9}", models::weekday_names[d].substr(0, 3));
    out += "\n";
    for (std::size_t i = 0; i < per_day; ++i) {
      const std::size_t minute = i * static_cast<std::size_t>(minutes);
      out += fmt::format("{:02}:{:02} ", minute / 60, minute % 60);
      for (std::size_t d = 0; d < 7; ++d) {
        const std::size_t bin = d * per_day + i;
        out += count[bin] == 0
                   ? fmt::format(" {:>9}", ".")
                   : fmt::format(" {:>9}", fmt::format("{:.0f}/{:.0f}", required[bin] / count[bin],
                                                       on_duty[bin] / count[bin]));
      }
      out += "\n";
    }
  }
  return out;
}

std::string render_forecast_table(const CapacityForecast &forecast,
                                  const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  std::string out = fmt::format(
      "Capacity forecast (analytic, {}; workload {:.1f} touches x {:.1f} min per case)\n",
      forecast.erlang_a ? "Erlang A on live channels" : "Erlang C", forecast.workload.touches,
      forecast.workload.minutes_per_touch);
  out += fmt::format("{:<8} {:>3} {:>7} {:>7} {:>8} {:>9}", "region", "wk", "cases", "on duty",
                     "required", "headcount");
  for (std::size_t p = 0; p < models::priority_count; ++p)
    out += fmt::format(" {:>9}", fmt::format("{} SLA", models::priority_names[p]));
  out += fmt::format(" {:>6}\n", "util");
  auto percent = [](double v) {
    return std::isfinite(v) ? fmt::format("{:.1f}", 100 * v) : std::string("-");
  };
  for (const RegionWeekForecast &c : forecast.cells) {
    out += fmt::format("{:<8.8} {:>3} {:>7.0f} {:>7.1f} {:>8.1f} {:>9.1f}",
                       o.regions[c.region].name, c.week + 1, c.cases, c.agents_on_duty,
                       c.required_on_duty, c.required_headcount);
    for (std::size_t p = 0; p < models::priority_count; ++p) {
      const bool miss = c.sla[p] < c.target[p]; // false for NaN
      out += fmt::format(" {:>9}", std::isfinite(c.sla[p])
                                       ? fmt::format("{}/{:.0f}{}", percent(c.sla[p]),
                                                     100 * c.target[p], miss ? "!" : " ")
                                       : std::string("- "));
    }
    out += fmt::format(" {:>6}\n", percent(c.utilisation));
  }
  out += "SLA: predicted/target %, ! below target. Capacity (max flow, agent hours):\n";
  for (const CapacityCheck &c : forecast.capacity) {
    std::string line =
        fmt::format("  week {}: demand {:.0f} h, servable {:.0f} h: {}", c.week + 1, c.demand_hours,
                    c.servable_hours, c.feasible ? "feasible" : "INFEASIBLE, bottleneck:");
    for (std::size_t i = 0; i < c.bottleneck.size(); ++i) {
      const std::string item =
          fmt::format(" {}{}", c.bottleneck[i], i + 1 < c.bottleneck.size() ? "," : "");
      if (line.size() + item.size() > 100) {
        out += line + "\n";
        line = "   ";
      }
      line += item;
    }
    out += line + "\n";
  }
  return out;
}

std::string render_staffing_table(const std::vector<RegionHourForecast> &hours,
                                  const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const sim::Clock clock(o.start);
  const sim::SimTime window_start = sim::SimTime::zero() + scenario.warmup;
  std::string out = "Staffing by local hour: agents on duty - agents required, mean over the "
                    "window (negative: short)\n";
  for (std::size_t r = 0; r < o.regions.size(); ++r) {
    const date::time_zone *zone = sim::find_zone(o.regions[r].time_zone);
    std::array<double, hours_per_week> gap{}, count{};
    std::size_t short_hours = 0, all_hours = 0;
    double cases = 0, short_cases = 0;
    for (const RegionHourForecast &c : hours) {
      if (c.region != r) continue;
      const sim::SimTime middle = window_start +
                                  sim::Duration::hours(static_cast<std::int64_t>(c.hour)) +
                                  sim::Duration::minutes(30);
      const std::size_t bin = sim::hour_of_week(clock.to_local(zone, middle));
      gap[bin] += c.agents_on_duty - c.required_on_duty;
      count[bin] += 1;
      ++all_hours;
      cases += c.cases;
      if (c.cases > 0 && c.agents_on_duty < c.required_on_duty - 1e-9) {
        ++short_hours;
        short_cases += c.cases;
      }
    }
    out += fmt::format("{} ({}): {} of {} hours short; {:.1f}% of the cases arrive in them\n",
                       o.regions[r].name, o.regions[r].time_zone, short_hours, all_hours,
                       cases > 0 ? 100 * short_cases / cases : 0.0);
    out += "    ";
    for (int h = 0; h < 24; ++h)
      out += fmt::format("{:>4}", fmt::format("{:02}", h));
    out += "\n";
    for (std::size_t day = 0; day < 7; ++day) {
      out += fmt::format("{:<4}", models::weekday_names[day].substr(0, 3));
      for (std::size_t h = 0; h < 24; ++h) {
        const std::size_t bin = day * 24 + h;
        if (count[bin] == 0) {
          out += "   .";
          continue;
        }
        const double mean = std::round(gap[bin] / count[bin]);
        out += fmt::format("{:>4}", mean == 0 ? std::string("0") : fmt::format("{:+.0f}", mean));
      }
      out += "\n";
    }
  }
  return out;
}

namespace {
std::string number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : std::string();
}
} // namespace

std::string render_forecast_csv(const CapacityForecast &forecast,
                                const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const sim::Clock clock(o.start);
  std::string out = "region,week,week_start_utc,cases,workload_hours,agents_on_duty,"
                    "servers_on_duty,offered_load,utilisation";
  for (const std::string_view p : models::priority_names)
    out += fmt::format(",{0}_sla,{0}_target,{0}_required_servers", p);
  out += ",mean_wait_minutes,abandonment,required_on_duty,required_headcount,"
         "available_hours_per_agent,capacity_feasible,demand_hours,servable_hours,bottleneck\n";
  for (const RegionWeekForecast &c : forecast.cells) {
    out += fmt::format("{},{},{},{},{},{},{},{},{}", csv_field(o.regions[c.region].name),
                       c.week + 1, clock.format_utc(forecast.week_starts[c.week]), number(c.cases),
                       number(c.workload_hours), number(c.agents_on_duty),
                       number(c.servers_on_duty), number(c.offered_load), number(c.utilisation));
    for (std::size_t p = 0; p < models::priority_count; ++p)
      out += fmt::format(",{},{},{}", number(c.sla[p]), number(c.target[p]),
                         number(c.required_by_priority[p]));
    const CapacityCheck &check = forecast.capacity[c.week];
    std::string bottleneck;
    for (const std::string &b : check.bottleneck)
      bottleneck += (bottleneck.empty() ? "" : "; ") + b;
    out += fmt::format(",{},{},{},{},{},{},{},{},{}\n", number(c.mean_wait_minutes),
                       number(c.abandonment), number(c.required_on_duty),
                       number(c.required_headcount), number(c.available_hours_per_agent),
                       check.feasible ? "yes" : "no", number(check.demand_hours),
                       number(check.servable_hours), csv_field(bottleneck));
  }
  return out;
}

std::string render_forecast_hours_csv(const std::vector<RegionHourForecast> &hours,
                                      const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const sim::Clock clock(o.start);
  const sim::SimTime window_start = sim::SimTime::zero() + scenario.warmup;
  std::string out = "region,hour_start_utc,cases,agents_on_duty,servers_on_duty,utilisation";
  for (const std::string_view p : models::priority_names)
    out += fmt::format(",{}_sla", p);
  out += ",required_on_duty\n";
  for (const RegionHourForecast &c : hours) {
    out += fmt::format(
        "{},{},{},{},{},{}", csv_field(o.regions[c.region].name),
        clock.format_utc(window_start + sim::Duration::hours(static_cast<std::int64_t>(c.hour))),
        number(c.cases), number(c.agents_on_duty), number(c.servers_on_duty),
        number(c.utilisation));
    for (std::size_t p = 0; p < models::priority_count; ++p)
      out += fmt::format(",{}", number(c.sla[p]));
    out += fmt::format(",{}\n", number(c.required_on_duty));
  }
  return out;
}

std::string render_requirement_csv(const std::vector<RegionIntervalForecast> &intervals,
                                   const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const sim::Clock clock(o.start);
  std::string out = "region,interval_start_local,interval_start_utc,hours,cases,agents_on_duty,"
                    "servers_on_duty,utilisation";
  for (const std::string_view p : models::priority_names)
    out += fmt::format(",{}_sla", p);
  out += ",required_on_duty\n";
  for (const RegionIntervalForecast &c : intervals) {
    out +=
        fmt::format("{},{},{},{},{},{},{},{}", csv_field(o.regions[c.region].name), c.start_local,
                    clock.format_utc(clock.from_utc(c.start)), number(c.hours), number(c.cases),
                    number(c.agents_on_duty), number(c.servers_on_duty), number(c.utilisation));
    for (std::size_t p = 0; p < models::priority_count; ++p)
      out += fmt::format(",{}", number(c.sla[p]));
    out += fmt::format(",{}\n", number(c.required_on_duty));
  }
  return out;
}

std::vector<DayRequirement>
daily_requirements(const std::vector<RegionIntervalForecast> &intervals) {
  std::vector<DayRequirement> out;
  for (const RegionIntervalForecast &c : intervals) {
    if (out.empty() || out.back().region != c.region ||
        out.back().start_local.compare(0, 10, c.start_local, 0, 10) != 0)
      out.push_back(DayRequirement{c.region, c.start, c.start_local});
    DayRequirement &d = out.back();
    d.hours += c.hours;
    d.cases += c.cases;
    d.on_duty_agent_hours += c.agents_on_duty * c.hours;
    d.required_agent_hours += c.required_on_duty * c.hours;
    d.peak_required_on_duty = std::max(d.peak_required_on_duty, c.required_on_duty);
    ++d.intervals;
    if (c.cases > 0 && c.agents_on_duty < c.required_on_duty - 1e-9) ++d.intervals_short;
  }
  return out;
}

std::string render_requirement_daily_csv(const std::vector<DayRequirement> &days,
                                         const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  const sim::Clock clock(o.start);
  std::string out = "region,day_start_local,day_start_utc,hours,cases,on_duty_agent_hours,"
                    "required_agent_hours,peak_required_on_duty,intervals,intervals_short\n";
  for (const DayRequirement &d : days)
    out +=
        fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(o.regions[d.region].name),
                    d.start_local, clock.format_utc(clock.from_utc(d.start)), number(d.hours),
                    number(d.cases), number(d.on_duty_agent_hours), number(d.required_agent_hours),
                    number(d.peak_required_on_duty), d.intervals, d.intervals_short);
  return out;
}

std::string render_requirement_daily_table(const std::vector<DayRequirement> &days,
                                           const scenarios::Scenario &scenario) {
  const OrganisationConfig &o = scenario.organisation;
  std::string out = "Required agents by local day (Erlang per interval, summed): agent hours on "
                    "duty and required, the peak interval's requirement, intervals short\n";
  out += fmt::format("{:<8} {:<10} {:>5} {:>8} {:>9} {:>9} {:>5} {:>9}\n", "region", "day", "hours",
                     "cases", "on duty h", "req'd h", "peak", "short");
  for (const DayRequirement &d : days)
    out += fmt::format("{:<8.8} {:<10} {:>5.0f} {:>8.0f} {:>9.0f} {:>9.0f} {:>5.0f} {:>4}/{:<4}\n",
                       o.regions[d.region].name, d.start_local.substr(0, 10), d.hours, d.cases,
                       d.on_duty_agent_hours, d.required_agent_hours, d.peak_required_on_duty,
                       d.intervals_short, d.intervals);
  return out;
}

} // namespace supportsim::analysis
