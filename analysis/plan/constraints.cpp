#include "analysis/plan/constraints.hpp"

#include "analysis/plan/plan.hpp"
#include "scenarios/csv.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fmt/format.h>

namespace supportsim::analysis {

namespace {

constexpr sim::Duration slot = sim::Duration::minutes(15);

/// A whole number of agents, for messages about `rule`.
std::uint32_t agents_of(std::string_view text, std::string_view rule, std::string_view expected) {
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n > 1'000'000)
    throw PlanError(fmt::format("\"{}\": \"{}\" is not a whole number of agents (0 to "
                                "1,000,000); expected {}",
                                rule, text, expected));
  return n;
}

/// The index of `name` in `names` (case ignored), or a PlanError listing them.
std::size_t index_of_name(const std::vector<std::string> &names, std::string_view name,
                          std::string_view what, std::string_view rule) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (scenarios::csv::iequals(names[i], name)) return i;
  std::string all;
  for (const std::string &n : names)
    all += fmt::format("{}{}", all.empty() ? "" : ", ", n);
  const std::string near = scenarios::detail::did_you_mean(name, names);
  throw PlanError(fmt::format("\"{}\": no {} \"{}\"{}; the scenario's are: {}", rule, what, name,
                              near.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", near),
                              all));
}

} // namespace

HeadcountLimit parse_headcount_limit(std::string_view text, bool at_least,
                                     const models::OrganisationConfig &organisation) {
  HeadcountLimit limit;
  limit.rule = fmt::format("--{} {}", at_least ? "min" : "max", text);
  limit.at_least = at_least;
  const std::size_t eq = text.rfind('=');
  constexpr std::string_view expected = "PATTERN=N, e.g. munich-*=4";
  if (eq == std::string_view::npos || eq == 0)
    throw PlanError(fmt::format("\"{}\": expected {}", limit.rule, expected));
  const std::uint32_t n = agents_of(text.substr(eq + 1), limit.rule, expected);
  limit.groups = match_groups(organisation, {std::string(text.substr(0, eq))});
  limit.agents.assign(limit.groups.size(), n);
  return limit;
}

HeadcountLimit parse_no_growth(std::string_view site,
                               const models::OrganisationConfig &organisation) {
  HeadcountLimit limit;
  limit.rule = fmt::format("--no-growth {}", site);
  limit.at_least = false;
  std::vector<std::string> names;
  for (const models::SiteConfig &s : organisation.sites)
    names.push_back(s.name);
  const std::size_t k = index_of_name(names, site, "site", limit.rule);
  for (std::size_t g = 0; g < organisation.agent_groups.size(); ++g)
    if (organisation.agent_groups[g].site == k) {
      limit.groups.push_back(g);
      limit.agents.push_back(organisation.agent_groups[g].headcount);
    }
  return limit;
}

CoverRule parse_cover_rule(std::string_view text, const models::OrganisationConfig &organisation) {
  CoverRule rule;
  rule.rule = fmt::format("--cover {}", text);
  constexpr std::string_view expected =
      "REGION:language=CODE>=N or REGION:product=NAME>=N, e.g. EMEA:language=de>=2";
  const std::size_t colon = text.find(':'), eq = text.find('='), ge = text.rfind(">=");
  if (colon == std::string_view::npos || eq == std::string_view::npos ||
      ge == std::string_view::npos || !(colon < eq && eq < ge))
    throw PlanError(fmt::format("\"{}\": expected {}", rule.rule, expected));
  std::vector<std::string> regions;
  for (const models::RegionConfig &r : organisation.regions)
    regions.push_back(r.name);
  rule.region = index_of_name(regions, text.substr(0, colon), "region", rule.rule);
  const std::string_view kind = text.substr(colon + 1, eq - colon - 1);
  if (kind != "language" && kind != "product")
    throw PlanError(fmt::format("\"{}\": \"{}\" is neither language nor product; expected {}",
                                rule.rule, kind, expected));
  rule.language = kind == "language";
  rule.skill = index_of_name(rule.language ? organisation.languages : organisation.products,
                             text.substr(eq + 1, ge - eq - 1), kind, rule.rule);
  rule.agents = agents_of(text.substr(ge + 2), rule.rule, expected);
  if (rule.agents == 0)
    throw PlanError(
        fmt::format("\"{}\": at least 0 agents always holds; expected N >= 1", rule.rule));
  return rule;
}

CoverCheck::CoverCheck(const scenarios::Scenario &scenario, std::vector<CoverRule> rules)
    : scenario_(scenario), clock_(scenario.organisation.start),
      roster_(scenario.organisation, clock_, sim::SimTime::zero() + scenario.organisation.horizon),
      rules_(std::move(rules)), from_(sim::SimTime::zero() + scenario.warmup),
      to_(sim::SimTime::zero() + scenario.organisation.horizon) {
  slot_count_ = to_ > from_ ? static_cast<std::size_t>((to_ - from_).ticks() / slot.ticks()) : 0;
  slots_.resize(scenario.organisation.agent_groups.size());
  std::vector<std::uint32_t> as_is;
  for (const models::AgentGroupConfig &g : scenario.organisation.agent_groups)
    as_is.push_back(g.headcount);
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    std::vector<bool> &cover = of_cover_.emplace_back(slot_count_, false);
    for (std::size_t g = 0; g < as_is.size(); ++g)
      if (counts(k, g))
        for (std::uint32_t n = 0; n < as_is[g]; ++n)
          for (const std::uint32_t s : slots_of(g, n))
            cover[s] = true;
  }
}

bool CoverCheck::counts(std::size_t k, std::size_t g) const {
  const models::OrganisationConfig &org = scenario_.organisation;
  const models::AgentGroupConfig &group = org.agent_groups[g];
  const CoverRule &r = rules_[k];
  if (org.sites[group.site].region != r.region) return false;
  const std::vector<double> &proficiency =
      r.language ? group.language_proficiency : group.product_proficiency;
  return r.skill < proficiency.size() && proficiency[r.skill] > 0;
}

const std::vector<std::uint32_t> &CoverCheck::slots_of(std::size_t g, std::uint32_t number) {
  std::vector<std::vector<std::uint32_t>> &agents = slots_[g];
  if (agents.size() <= number) agents.resize(number + 1);
  std::vector<std::uint32_t> &out = agents[number];
  if (!out.empty() || slot_count_ == 0) return out;
  models::Agent agent{};
  agent.info.group = static_cast<std::uint32_t>(g);
  agent.info.number = number;
  for (sim::SimTime t = from_;;) {
    const models::Shift s = roster_.next_shift(agent, t);
    if (s.pattern == models::none || s.start >= to_ || s.end <= t) break;
    // The slots the shift covers whole: from the first slot boundary at or after its start to
    // the last at or before its end.
    const auto first =
        ((std::max(s.start, from_) - from_).ticks() + slot.ticks() - 1) / slot.ticks();
    const auto last = (std::min(s.end, to_) - from_).ticks() / slot.ticks();
    for (auto i = first; i < last; ++i)
      out.push_back(static_cast<std::uint32_t>(i));
    t = s.end;
  }
  if (out.empty()) out.push_back(static_cast<std::uint32_t>(slot_count_)); // none: a sentinel
  return out;
}

CoverState CoverCheck::state(std::size_t k, const std::vector<std::uint32_t> &headcounts) {
  std::vector<std::uint32_t> count(slot_count_ + 1, 0); // + the sentinel of agents with none
  for (std::size_t g = 0; g < headcounts.size(); ++g)
    if (counts(k, g))
      for (std::uint32_t n = 0; n < headcounts[g]; ++n)
        for (const std::uint32_t s : slots_of(g, n))
          ++count[s];
  CoverState st;
  st.least = UINT32_MAX;
  const std::uint32_t want = rules_[k].agents;
  for (std::size_t s = 0; s < slot_count_; ++s) {
    if (!of_cover_[k][s]) continue;
    ++st.slots_of_cover;
    if (count[s] < st.least) {
      st.least = count[s];
      st.least_at = from_ + sim::Duration::from_ticks(slot.ticks() * static_cast<std::int64_t>(s));
    }
    if (count[s] < want) st.short_agent_hours += 0.25 * (want - count[s]);
  }
  if (st.slots_of_cover == 0) st.least = 0;
  return st;
}

bool CoverCheck::holds(const std::vector<std::uint32_t> &headcounts) {
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    const CoverState st = state(k, headcounts);
    if (st.slots_of_cover > 0 && st.least < rules_[k].agents) return false;
  }
  return true;
}

std::string CoverCheck::local_time(std::size_t k, sim::SimTime at) const {
  const models::OrganisationConfig &org = scenario_.organisation;
  std::size_t site = 0;
  while (site < org.sites.size() && org.sites[site].region != rules_[k].region)
    ++site;
  if (site == org.sites.size()) return clock_.format_utc(at);
  const sim::LocalTime local = clock_.to_local(roster_.site_zone(site), at);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{std::chrono::sys_days(day.time_since_epoch())};
  const auto minute = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} {}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     minute / 60, minute % 60, org.sites[site].time_zone);
}

} // namespace supportsim::analysis
