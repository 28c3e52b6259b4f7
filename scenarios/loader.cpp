#include "models/records.hpp"
#include "scenarios/changes.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

namespace supportsim::scenarios {

using nlohmann::json;

ScenarioError::ScenarioError(std::string file, std::string pointer, std::string problem)
    : InputError(pointer.empty() ? fmt::format("{}: {}", file, problem)
                                 : fmt::format("{}: {}: {}", file, pointer, problem)),
      file_(std::move(file)), pointer_(std::move(pointer)), problem_(std::move(problem)) {}

namespace {

// The largest horizon accepted: the event calendar holds 2^47 us (about 4.4 years).
constexpr double max_horizon_days = 1461.0; // four years, warm-up included
constexpr double max_cases_per_replication = 1e9;
// A case carries its product and language as 8-bit indexes (models/records.hpp, the routing's
// buckets); the schema caps each region's languages and the product mix at this too.
constexpr std::size_t max_languages = 256;
using models::days_per_month;
constexpr double share_tolerance = 1e-6;
constexpr int minutes_per_day = 24 * 60;

using detail::child_pointer;
using detail::describe;
using detail::did_you_mean;

/// Reads a document that has passed the schema (so types, ranges and keys are right) and makes
/// the checks a schema cannot: sums, orderings, uniqueness, references between sections.
/// Complaints name the place; warnings are collected for Scenario::warnings.
class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string &pointer, const std::string &problem) const {
    throw ScenarioError(file_, pointer.empty() ? "/" : pointer, problem);
  }
  void warn(const std::string &pointer, const std::string &message) {
    warnings_.push_back(fmt::format("{}: {}: {}", file_, pointer.empty() ? "/" : pointer, message));
  }
  const std::string &file() const { return file_; }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

private:
  std::string file_;
  std::vector<std::string> warnings_;
};

const json *find(const json &object, const char *key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string format_time_of_day(models::TimeOfDay t) {
  return fmt::format("{:02}:{:02}", t.minute / 60, t.minute % 60);
}

/// "HH:MM", already checked by the schema's pattern (00:00 .. 24:00).
models::TimeOfDay read_time_of_day(const json &v) {
  const std::string text = v.get<std::string>();
  return {std::stoi(text.substr(0, 2)) * 60 + std::stoi(text.substr(3, 2))};
}

/// "YYYY-MM-DD" (the schema checked the shape); the date must exist.
models::Date read_date(const Reader &r, const json &v, const std::string &p) {
  const std::string text = v.get<std::string>();
  const models::Date date{std::chrono::year(std::stoi(text.substr(0, 4))),
                          std::chrono::month(static_cast<unsigned>(std::stoi(text.substr(5, 2)))),
                          std::chrono::day(static_cast<unsigned>(std::stoi(text.substr(8, 2))))};
  if (!date.ok())
    r.fail(p, fmt::format("expected a date that exists, found \"{}\" (no such date)", text));
  return date;
}

std::vector<models::Date> read_dates(const Reader &r, const json &object, const char *key,
                                     const std::string &p) {
  std::vector<models::Date> out;
  if (const json *dates = find(object, key))
    for (std::size_t i = 0; i < dates->size(); ++i)
      out.push_back(read_date(r, (*dates)[i], fmt::format("{}/{}/{}", p, key, i)));
  return out;
}

sim::UtcTime read_utc(const Reader &r, const json &v, const std::string &p) {
  try {
    return sim::parse_utc(v.get<std::string>());
  } catch (const std::invalid_argument &e) {
    r.fail(p, e.what());
  }
}

std::string read_zone(const Reader &r, const json &v, const std::string &p) {
  const std::string zone = v.get<std::string>();
  try {
    (void)sim::find_zone(zone);
  } catch (const std::invalid_argument &) {
    r.fail(p, fmt::format("expected an IANA time zone such as \"Europe/Berlin\", found \"{}\" "
                          "(not in the time-zone database)",
                          zone));
  }
  return zone;
}

models::Weekdays read_weekdays(const json &v) {
  models::Weekdays days{};
  for (const json &day : v)
    for (std::size_t i = 0; i < days.size(); ++i)
      if (day.get<std::string>() == models::weekday_names[i]) days[i] = true;
  return days;
}

std::string join(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// The index of `v` (a name) in `names`; otherwise an error with a suggestion.
std::size_t resolve_name(const Reader &r, const json &v, const std::vector<std::string> &names,
                         const char *what, const std::string &p) {
  const std::string name = v.get<std::string>();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  if (const std::string best = did_you_mean(name, names); !best.empty())
    r.fail(p, fmt::format("expected the name of a {}, found \"{}\"; did you mean \"{}\"?", what,
                          name, best));
  r.fail(p, fmt::format("expected the name of a {} ({}), found \"{}\"", what, join(names), name));
}

/// Names within one section are unique: they are how the rest of the file refers to things.
void check_unique_names(const Reader &r, const std::vector<std::string> &names, const char *section,
                        const char *what) {
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j])
        r.fail(fmt::format("/{}/{}/name", section, i),
               fmt::format("expected a unique {} name, found \"{}\" again (also /{}/{})", what,
                           names[i], section, j));
}

template <class Values>
void check_shares(const Reader &r, const Values &shares, const std::string &p,
                  const char *what = "shares") {
  double sum = 0;
  for (double x : shares)
    sum += x;
  if (std::fabs(sum - 1.0) > share_tolerance)
    r.fail(p, fmt::format("expected {} summing to 1, found {:g}", what, sum));
}

template <class Values>
void check_positive_sum(const Reader &r, const Values &weights, const std::string &p) {
  double sum = 0;
  for (double x : weights)
    sum += x;
  if (!(sum > 0)) r.fail(p, "expected weights with a sum > 0, found all zero");
}

sim::Distribution make_distribution(const Reader &r, const json &v, const std::string &p);

/// The largest mean of a distribution (schema.json's "distribution": means and values at most
/// 10^7 in the unit of the key): a mean implied by other parameters (a Weibull's shape and
/// scale) is held to it too, or a heavy tail would give figures of 10^25 minutes.
constexpr double max_distribution_mean = 1e7;

sim::Distribution read_distribution(const Reader &r, const json &v, const std::string &p) {
  sim::Distribution d = make_distribution(r, v, p);
  if (const double mean = d.mean(); !(mean <= max_distribution_mean))
    r.fail(p, fmt::format("expected a distribution whose mean is at most 10^7 (in the unit of the "
                          "key), found one whose mean is {:.3g}",
                          mean));
  return d;
}

sim::Distribution make_distribution(const Reader &r, const json &v, const std::string &p) {
  const std::string type = v["type"].get<std::string>();
  auto num = [&](const char *key) { return v[key].get<double>(); };
  try {
    if (type == "constant") return sim::Distribution::constant(num("value"));
    if (type == "exponential") return sim::Distribution::exponential(num("mean"));
    if (type == "lognormal") return sim::Distribution::lognormal(num("mean"), num("cv"));
    if (type == "gamma") return sim::Distribution::gamma(num("mean"), num("cv"));
    if (type == "weibull") return sim::Distribution::weibull(num("shape"), num("scale"));
    if (type == "uniform") {
      if (num("max") <= num("min"))
        r.fail(p + "/max",
               fmt::format("expected max > min ({:g}), found {:g}", num("min"), num("max")));
      return sim::Distribution::uniform(num("min"), num("max"));
    }
    if (type == "empirical")
      return sim::Distribution::empirical(v["values"].get<std::vector<double>>());
    // mixture: the only type left, the schema allows no other
    const json &parts = v["components"];
    std::vector<double> weights;
    std::vector<sim::Distribution> components;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      weights.push_back(parts[i]["weight"].get<double>());
      components.push_back(read_distribution(r, parts[i]["distribution"],
                                             fmt::format("{}/components/{}/distribution", p, i)));
    }
    if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; }))
      r.fail(p + "/components", "expected at least one weight > 0, found all zero");
    return sim::Distribution::mixture(std::move(weights), std::move(components));
  } catch (const std::invalid_argument &e) {
    r.fail(p, e.what()); // not reached for a document the schema accepted
  }
}

void read_distribution_into(const Reader &r, const json &object, const char *key,
                            const std::string &p, sim::Distribution &out) {
  if (const json *v = find(object, key)) out = read_distribution(r, *v, child_pointer(p, key));
}

template <class T, std::size_t N>
void read_named_numbers(const json *v, const std::array<std::string_view, N> &names,
                        std::array<T, N> &out) {
  if (!v) return;
  for (std::size_t i = 0; i < N; ++i)
    if (const json *x = find(*v, std::string(names[i]).c_str())) out[i] = x->get<T>();
}

/// A mix: omitted keys are 0 once the mix is stated at all; the shares sum to 1.
template <std::size_t N>
void read_mix(const Reader &r, const json &object, const char *key,
              const std::array<std::string_view, N> &names, std::array<double, N> &out,
              const std::string &p) {
  const json *v = find(object, key);
  if (!v) return;
  out.fill(0.0);
  read_named_numbers(v, names, out);
  check_shares(r, out, child_pointer(p, key));
}

void read_minutes(const json *v, models::PerPriority<sim::Duration> &out) {
  if (!v) return;
  for (std::size_t i = 0; i < models::priority_count; ++i)
    if (const json *x = find(*v, std::string(models::priority_names[i]).c_str()))
      out[i] = sim::Duration::from_minutes(x->get<double>());
}

template <class Number> Number number_or(const json &object, const char *key, Number fallback) {
  const json *v = find(object, key);
  return v ? v->get<Number>() : fallback;
}

// --- The sections, in the order they depend on one another -------------------------------------

void read_regions(Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json *regions = find(doc, "regions");
  if (!regions) {
    models::RegionConfig global;
    global.name = "Global";
    global.time_zone = "UTC";
    global.demand_share = 1.0;
    global.language_mix = {1.0};
    org.languages = {"en"};
    org.regions.push_back(std::move(global));
    return;
  }
  // The languages: every region's language keys, sorted (one list the skills refer to).
  std::set<std::string> languages;
  for (const json &region : *regions) {
    if (const json *mix = find(region, "languages")) {
      for (const auto &item : mix->items())
        languages.insert(item.key());
    } else {
      languages.insert("en");
    }
  }
  org.languages.assign(languages.begin(), languages.end());
  if (languages.size() > max_languages)
    r.fail("/regions", fmt::format("expected at most {} languages over all regions (a case carries "
                                   "an 8-bit language index), found {}",
                                   max_languages, languages.size()));

  std::vector<std::string> names;
  std::vector<double> shares;
  for (std::size_t i = 0; i < regions->size(); ++i) {
    const json &v = (*regions)[i];
    const std::string p = fmt::format("/regions/{}", i);
    models::RegionConfig region;
    region.name = v["name"].get<std::string>();
    region.time_zone = read_zone(r, v["time_zone"], p + "/time_zone");
    region.demand_share = number_or(v, "demand_share", 1.0 / static_cast<double>(regions->size()));
    region.language_mix.assign(org.languages.size(), 0.0);
    if (const json *mix = find(v, "languages")) {
      for (const auto &item : mix->items()) {
        const auto at = std::find(org.languages.begin(), org.languages.end(), item.key());
        region.language_mix[static_cast<std::size_t>(at - org.languages.begin())] =
            item.value().get<double>();
      }
      check_shares(r, region.language_mix, p + "/languages", "language shares");
    } else {
      const auto at = std::find(org.languages.begin(), org.languages.end(), "en");
      region.language_mix[static_cast<std::size_t>(at - org.languages.begin())] = 1.0;
    }
    region.holidays = read_dates(r, v, "holidays", p);
    if (const json *profile = find(v, "hourly_profile")) {
      std::array<double, 24> hours{};
      for (std::size_t h = 0; h < hours.size(); ++h)
        hours[h] = (*profile)[h].get<double>();
      check_positive_sum(r, hours, p + "/hourly_profile");
      region.hourly_profile = hours;
    }
    names.push_back(region.name);
    shares.push_back(region.demand_share);
    org.regions.push_back(std::move(region));
  }
  check_unique_names(r, names, "regions", "region");
  check_shares(r, shares, "/regions", "demand_share over the regions");
}

std::vector<std::string> names_of(const auto &items) {
  std::vector<std::string> names;
  for (const auto &item : items)
    names.push_back(item.name);
  return names;
}

void read_sites(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json *sites = find(doc, "sites");
  if (!sites) {
    models::SiteConfig main;
    main.name = "Main";
    main.region = 0;
    main.time_zone = org.regions[0].time_zone;
    org.sites.push_back(std::move(main));
    return;
  }
  const std::vector<std::string> regions = names_of(org.regions);
  for (std::size_t i = 0; i < sites->size(); ++i) {
    const json &v = (*sites)[i];
    const std::string p = fmt::format("/sites/{}", i);
    models::SiteConfig site;
    site.name = v["name"].get<std::string>();
    if (const json *region = find(v, "region"))
      site.region = resolve_name(r, *region, regions, "region", p + "/region");
    site.time_zone = org.regions[site.region].time_zone;
    if (const json *zone = find(v, "time_zone"))
      site.time_zone = read_zone(r, *zone, p + "/time_zone");
    site.cost_per_agent_hour = number_or(v, "cost_per_agent_hour", 0.0);
    site.holidays = read_dates(r, v, "holidays", p);
    org.sites.push_back(std::move(site));
  }
  check_unique_names(r, names_of(org.sites), "sites", "site");
}

int shift_minutes(const models::ShiftConfig &s) {
  return s.end > s.start ? s.end.minute - s.start.minute
                         : s.end.minute + minutes_per_day - s.start.minute;
}

void read_shifts(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json *shifts = find(doc, "shifts");
  if (!shifts) {
    models::ShiftConfig always;
    always.name = "24x7";
    always.days.fill(true);
    always.start = {0};
    always.end = {minutes_per_day};
    org.shifts.push_back(std::move(always));
    return;
  }
  for (std::size_t i = 0; i < shifts->size(); ++i) {
    const json &v = (*shifts)[i];
    const std::string p = fmt::format("/shifts/{}", i);
    models::ShiftConfig shift;
    shift.name = v["name"].get<std::string>();
    if (const json *days = find(v, "days")) shift.days = read_weekdays(*days);
    if (const json *start = find(v, "start")) shift.start = read_time_of_day(*start);
    if (const json *end = find(v, "end")) shift.end = read_time_of_day(*end);
    // end <= start is an overnight shift; end == start would be empty or a full day, unclear
    // which: a full day is written 00:00-24:00.
    if (shift.end == shift.start)
      r.fail(p + "/end",
             fmt::format("expected an end different from the start ({}), found {}",
                         format_time_of_day(shift.start), format_time_of_day(shift.end)));
    const int length = shift_minutes(shift);
    if (const json *breaks = find(v, "breaks")) {
      for (std::size_t b = 0; b < breaks->size(); ++b) {
        const json &jb = (*breaks)[b];
        models::BreakConfig brk;
        brk.start = read_time_of_day(jb["start"]);
        brk.minutes = jb["minutes"].get<int>();
        brk.paid = number_or(jb, "paid", true);
        const int offset =
            (brk.start.minute - shift.start.minute + minutes_per_day) % minutes_per_day;
        if (offset + brk.minutes > length)
          r.fail(fmt::format("{}/breaks/{}", p, b),
                 fmt::format("expected a break inside the shift ({}-{}), found {} for {} minutes",
                             format_time_of_day(shift.start), format_time_of_day(shift.end),
                             format_time_of_day(brk.start), brk.minutes));
        shift.breaks.push_back(brk);
      }
    }
    shift.rotation_weeks = number_or(v, "rotation_weeks", shift.rotation_weeks);
    shift.on_call = number_or(v, "on_call", shift.on_call);
    org.shifts.push_back(std::move(shift));
  }
  check_unique_names(r, names_of(org.shifts), "shifts", "shift");
}

constexpr const char *engineering = "engineering";

void read_tiers(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json *tiers = find(doc, "tiers");
  if (!tiers) {
    models::TierConfig l1;
    l1.name = "L1";
    org.tiers.push_back(std::move(l1));
    return;
  }
  for (std::size_t i = 0; i < tiers->size(); ++i) {
    models::TierConfig tier;
    tier.name = (*tiers)[i]["name"].get<std::string>();
    if (tier.name == engineering)
      r.fail(fmt::format("/tiers/{}/name", i),
             "expected a tier name other than \"engineering\" (escalates_to uses it for the "
             "engineering team), found \"engineering\"");
    org.tiers.push_back(std::move(tier));
  }
  check_unique_names(r, names_of(org.tiers), "tiers", "tier");
  std::vector<std::string> names = names_of(org.tiers);
  names.push_back(engineering);
  for (std::size_t i = 0; i < tiers->size(); ++i) {
    const json &v = (*tiers)[i];
    const std::string p = fmt::format("/tiers/{}", i);
    models::TierConfig &tier = org.tiers[i];
    if (const json *role = find(v, "role")) {
      const std::string text = role->get<std::string>();
      for (std::size_t k = 0; k < models::tier_role_names.size(); ++k)
        if (text == models::tier_role_names[k]) tier.role = static_cast<models::TierRole>(k);
    }
    if (const json *to = find(v, "escalates_to")) {
      if (to->get<std::string>() == engineering)
        tier.to_engineering = true;
      else
        tier.escalates_to = resolve_name(r, *to, names, "tier", p + "/escalates_to");
    }
    tier.escalation_probability = number_or(v, "escalation_probability", 0.0);
  }
  // An escalation chain must end: in engineering, or at a tier that does not escalate.
  for (std::size_t i = 0; i < org.tiers.size(); ++i) {
    std::vector<std::size_t> chain{i};
    for (auto next = org.tiers[i].escalates_to; next; next = org.tiers[*next].escalates_to) {
      const bool seen = std::find(chain.begin(), chain.end(), *next) != chain.end();
      chain.push_back(*next);
      if (!seen) continue;
      if (*next != i) break; // a cycle further on: reported from its own first tier
      std::string path;
      for (std::size_t t : chain)
        path += (path.empty() ? "" : " -> ") + org.tiers[t].name;
      r.fail(fmt::format("/tiers/{}/escalates_to", i),
             fmt::format("expected an escalation chain that ends (in engineering or a tier that "
                         "does not escalate), found a cycle {}",
                         path));
    }
  }
}

models::ShrinkageConfig read_shrinkage(const json *v, models::ShrinkageConfig base) {
  if (v) {
    base.absence = number_or(*v, "absence", base.absence);
    base.off_queue = number_or(*v, "off_queue", base.off_queue);
  }
  return base;
}

void read_agent_groups(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const models::ShrinkageConfig shrinkage = read_shrinkage(find(doc, "shrinkage"), {});
  const std::vector<std::string> sites = names_of(org.sites), tiers = names_of(org.tiers),
                                 shifts = names_of(org.shifts);
  std::vector<std::string> skill_names = org.products;
  skill_names.insert(skill_names.end(), org.languages.begin(), org.languages.end());
  const json &groups = doc["agent_groups"];
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const json &v = groups[i];
    const std::string p = fmt::format("/agent_groups/{}", i);
    models::AgentGroupConfig g;
    g.name = v["name"].get<std::string>();
    if (const json *site = find(v, "site"))
      g.site = resolve_name(r, *site, sites, "site", p + "/site");
    if (const json *tier = find(v, "tier"))
      g.tier = resolve_name(r, *tier, tiers, "tier", p + "/tier");
    g.headcount = v["headcount"].get<std::uint32_t>();
    if (const json *names = find(v, "shifts")) {
      for (std::size_t k = 0; k < names->size(); ++k)
        g.shifts.push_back(
            resolve_name(r, (*names)[k], shifts, "shift", fmt::format("{}/shifts/{}", p, k)));
    } else {
      g.shifts = {0};
    }
    if (const json *skills = find(v, "skills")) {
      g.product_proficiency.assign(org.products.size(), 0.0);
      g.language_proficiency.assign(org.languages.size(), 0.0);
      for (const auto &item : skills->items()) {
        const auto product = std::find(org.products.begin(), org.products.end(), item.key());
        const auto language = std::find(org.languages.begin(), org.languages.end(), item.key());
        const double level = item.value().get<double>();
        if (product != org.products.end())
          g.product_proficiency[static_cast<std::size_t>(product - org.products.begin())] = level;
        if (language != org.languages.end())
          g.language_proficiency[static_cast<std::size_t>(language - org.languages.begin())] =
              level;
        if (product != org.products.end() || language != org.languages.end()) continue;
        const std::string at = child_pointer(p + "/skills", item.key());
        const std::string known =
            fmt::format("products: {}; languages: {}", join(org.products), join(org.languages));
        if (const std::string best = did_you_mean(item.key(), skill_names); !best.empty())
          r.fail(at, fmt::format("expected a product or a language a region demands, found "
                                 "\"{}\"; did you mean \"{}\"?",
                                 item.key(), best));
        r.fail(at, fmt::format("expected a product or a language a region demands ({}), found "
                               "\"{}\"",
                               known, item.key()));
      }
    } else {
      g.product_proficiency.assign(org.products.size(), 1.0);
      g.language_proficiency.assign(org.languages.size(), 1.0);
    }
    read_distribution_into(r, v, "tenure_months", p, g.tenure_months);
    g.chat_concurrency = number_or(v, "chat_concurrency", g.chat_concurrency);
    g.cost_per_agent_hour =
        number_or(v, "cost_per_agent_hour", org.sites[g.site].cost_per_agent_hour);
    if (const json *accounts = find(v, "accounts"))
      g.accounts = accounts->get<std::vector<std::string>>();
    g.attrition_per_year = number_or(v, "attrition_per_year", 0.0);
    if (const json *plan = find(v, "hiring_plan"))
      for (std::size_t k = 0; k < plan->size(); ++k)
        g.hiring_plan.push_back(
            {read_date(r, (*plan)[k]["date"], fmt::format("{}/hiring_plan/{}/date", p, k)),
             (*plan)[k]["hires"].get<std::uint32_t>()});
    g.shrinkage = read_shrinkage(find(v, "shrinkage"), shrinkage);
    org.agent_groups.push_back(std::move(g));
  }
  check_unique_names(r, names_of(org.agent_groups), "agent_groups", "agent group");
  std::size_t accounts = 0;
  for (const models::AgentGroupConfig &g : org.agent_groups)
    accounts += g.accounts.size();
  if (accounts >= models::no_account)
    r.fail("/agent_groups",
           fmt::format("expected at most {} TAM accounts over all agent groups (a case carries a "
                       "16-bit account index), found {}",
                       models::no_account - 1, accounts));
}

void read_learning_curve(const Reader &r, const json &v, const std::string &p,
                         models::LearningCurve &curve) {
  if (const json *table = find(v, "table")) {
    if (v.contains("at_hire") || v.contains("time_constant_months"))
      r.fail(p, "expected either a table or at_hire and time_constant_months, found both");
    for (std::size_t k = 0; k < table->size(); ++k) {
      const double months = (*table)[k]["months"].get<double>();
      if (k > 0 && !(months > curve.table.back().first))
        r.fail(fmt::format("{}/table/{}/months", p, k),
               fmt::format("expected months increasing along the table (above {:g}), found {:g}",
                           curve.table.back().first, months));
      curve.table.emplace_back(months, (*table)[k]["multiplier"].get<double>());
    }
    return;
  }
  curve.at_hire = number_or(v, "at_hire", curve.at_hire);
  curve.time_constant_months = number_or(v, "time_constant_months", curve.time_constant_months);
}

void read_experience(const Reader &r, const json &doc, models::ExperienceConfig &x) {
  const json *v = find(doc, "experience");
  if (!v) return;
  x.training_weeks = number_or(*v, "training_weeks", x.training_weeks);
  if (const json *c = find(*v, "handle_time"))
    read_learning_curve(r, *c, "/experience/handle_time", x.handle_time);
  if (const json *c = find(*v, "escalation"))
    read_learning_curve(r, *c, "/experience/escalation", x.escalation);
}

/// Per product, from an object keyed by product name: unknown names are errors.
std::vector<bool> read_name_set(const Reader &r, const json *v,
                                const std::vector<std::string> &names, const char *what,
                                const std::string &p) {
  std::vector<bool> out(names.size(), v == nullptr);
  if (v)
    for (std::size_t k = 0; k < v->size(); ++k)
      out[resolve_name(r, (*v)[k], names, what, fmt::format("{}/{}", p, k))] = true;
  return out;
}

void read_demand(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json &v = doc["demand"];
  models::DemandConfig &d = org.demand;
  d.cases_per_month = v["cases_per_month"].get<double>();
  d.growth_per_month = number_or(v, "growth_per_month", 0.0);
  if (const json *profile = find(v, "hourly_profile")) {
    for (std::size_t h = 0; h < d.hourly_profile.size(); ++h)
      d.hourly_profile[h] = (*profile)[h].get<double>();
    check_positive_sum(r, d.hourly_profile, "/demand/hourly_profile");
  }
  if (const json *profile = find(v, "weekly_profile")) {
    for (std::size_t day = 0; day < d.weekly_profile.size(); ++day)
      d.weekly_profile[day] = (*profile)[day].get<double>();
    check_positive_sum(r, d.weekly_profile, "/demand/weekly_profile");
  }
  d.daily_cv = number_or(v, "daily_cv", d.daily_cv);
  d.holiday_factor = number_or(v, "holiday_factor", d.holiday_factor);
  read_mix(r, v, "priority_mix", models::priority_names, d.priority_mix, "/demand");
  read_mix(r, v, "channel_mix", models::channel_names, d.channel_mix, "/demand");
  read_mix(r, v, "segment_mix", models::segment_names, d.segment_mix, "/demand");
  if (const json *mix = find(v, "product_mix")) {
    for (const auto &item : mix->items())
      d.product_mix.push_back(item.value().get<double>());
    check_shares(r, d.product_mix, "/demand/product_mix");
  } else {
    d.product_mix = {1.0};
  }
  if (const json *incidents = find(v, "incidents")) {
    for (std::size_t i = 0; i < incidents->size(); ++i) {
      const json &jv = (*incidents)[i];
      const std::string p = fmt::format("/demand/incidents/{}", i);
      models::IncidentConfig incident;
      incident.name = jv["name"].get<std::string>();
      incident.start = read_utc(r, jv["start"], p + "/start");
      incident.duration = sim::Duration::from_minutes(jv["hours"].get<double>() * 60);
      incident.multiplier = jv["multiplier"].get<double>();
      if (const json *priorities = find(jv, "priorities")) {
        incident.priorities.fill(false);
        for (const json &name : *priorities)
          for (std::size_t k = 0; k < models::priority_count; ++k)
            if (name.get<std::string>() == models::priority_names[k]) incident.priorities[k] = true;
      }
      incident.products =
          read_name_set(r, find(jv, "products"), org.products, "product", p + "/products");
      incident.regions =
          read_name_set(r, find(jv, "regions"), names_of(org.regions), "region", p + "/regions");
      d.incidents.push_back(std::move(incident));
    }
    std::vector<std::string> names;
    for (const auto &incident : d.incidents)
      names.push_back(incident.name);
    check_unique_names(r, names, "demand/incidents", "incident");
  }
}

void read_lifecycle(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  models::LifecycleConfig &l = org.lifecycle;
  l.product_work_factor.assign(org.products.size(), 1.0);
  const json *v = find(doc, "lifecycle");
  if (!v) return;
  const std::string p = "/lifecycle";
  read_distribution_into(r, *v, "touches", p, l.touches);
  if (const json *work = find(*v, "work_minutes"))
    for (std::size_t c = 0; c < models::channel_count; ++c)
      read_distribution_into(r, *work, std::string(models::channel_names[c]).c_str(),
                             p + "/work_minutes", l.work_minutes[c]);
  read_named_numbers(find(*v, "priority_work_factor"), models::priority_names,
                     l.priority_work_factor);
  if (const json *factors = find(*v, "product_work_factor"))
    for (const auto &item : factors->items())
      l.product_work_factor[resolve_name(r, json(item.key()), org.products, "product",
                                         child_pointer(p + "/product_work_factor", item.key()))] =
          item.value().get<double>();
  read_distribution_into(r, *v, "customer_wait_hours", p, l.customer_wait_hours);
  read_distribution_into(r, *v, "engineering_turnaround_hours", p, l.engineering_turnaround_hours);
  l.reopen_probability = number_or(*v, "reopen_probability", l.reopen_probability);
  read_distribution_into(r, *v, "reopen_after_hours", p, l.reopen_after_hours);
  if (const json *patience = find(*v, "patience_minutes"))
    for (const models::Channel c : {models::Channel::phone, models::Channel::chat}) {
      const std::string key(models::channel_names[models::index_of(c)]);
      if (const json *dist = find(*patience, key.c_str()))
        l.patience_minutes[models::index_of(c)] =
            read_distribution(r, *dist, child_pointer(p + "/patience_minutes", key));
    }
  l.chat_slowdown_per_extra_chat =
      number_or(*v, "chat_slowdown_per_extra_chat", l.chat_slowdown_per_extra_chat);
}

void read_sla(const Reader &r, const json &doc, models::ServiceLevels &levels, SlaPolicy &sla) {
  const json *v = find(doc, "sla");
  if (!v) return;
  models::PerPriority<sim::Duration> common = levels.first_response[0];
  read_minutes(find(*v, "first_response_minutes"), common);
  levels.first_response.fill(common);
  if (const json *segments = find(*v, "segments"))
    for (std::size_t s = 0; s < models::segment_count; ++s)
      if (const json *segment = find(*segments, std::string(models::segment_names[s]).c_str())) {
        read_minutes(find(*segment, "first_response_minutes"), levels.first_response[s]);
        if (const json *clock = find(*segment, "clock"))
          levels.business_hours_clock[s] = clock->get<std::string>() == "business_hours";
      }
  if (const json *hours = find(*v, "business_hours")) {
    if (const json *days = find(*hours, "days")) levels.business_hours.days = read_weekdays(*days);
    if (const json *start = find(*hours, "start"))
      levels.business_hours.start = read_time_of_day(*start);
    if (const json *end = find(*hours, "end")) levels.business_hours.end = read_time_of_day(*end);
    if (levels.business_hours.end <= levels.business_hours.start)
      r.fail("/sla/business_hours/end",
             fmt::format("expected an end after the start ({}), found {}",
                         format_time_of_day(levels.business_hours.start),
                         format_time_of_day(levels.business_hours.end)));
  }
  read_named_numbers(find(*v, "targets"), models::priority_names, sla.attainment_target);
  sla.utilisation_target = number_or(*v, "utilisation_target", sla.utilisation_target);
  sla.forecast_variance_max = number_or(*v, "forecast_variance_max", sla.forecast_variance_max);
  sla.regional_spread_max = number_or(*v, "regional_spread_max", sla.regional_spread_max);
}

void read_routing(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  models::RoutingConfig &routing = org.routing;
  const json *v = find(doc, "routing");
  if (!v) return;
  read_named_numbers(find(*v, "weights"), models::work_type_names, routing.weights);
  routing.ageing_per_hour = number_or(*v, "ageing_per_hour", routing.ageing_per_hour);
  routing.proficiency_required =
      number_or(*v, "proficiency_required", routing.proficiency_required);
  read_minutes(find(*v, "overflow_after_minutes"), routing.overflow_after);
  routing.proficiency_floor = number_or(*v, "proficiency_floor", routing.proficiency_floor);
  if (const json *x = find(*v, "live_overflow_after_minutes"))
    routing.live_overflow_after = sim::Duration::from_minutes(x->get<double>());
  if (const json *x = find(*v, "fallback_language"))
    routing.fallback_language = resolve_name(r, *x, org.languages, "language a region demands",
                                             "/routing/fallback_language");
  routing.tam_first = number_or(*v, "tam_first", routing.tam_first);
  if (const json *handoff = find(*v, "handoff"))
    for (std::size_t k = 0; k < models::priority_count; ++k)
      if (const json *x = find(*handoff, std::string(models::priority_names[k]).c_str()))
        routing.handoff[k] = x->get<std::string>() == "follow_the_sun"
                                 ? models::Handoff::follow_the_sun
                                 : models::Handoff::owner_region;
  // The floor is the quality no overflow may go below; above the requirement it would make
  // overflow stricter than normal routing.
  if (routing.proficiency_floor > routing.proficiency_required)
    r.fail("/routing/proficiency_floor",
           fmt::format("expected a floor at most proficiency_required ({:g}), found {:g}",
                       routing.proficiency_required, routing.proficiency_floor));
}

template <class Enum, std::size_t N>
Enum enum_of(const json &v, const std::array<std::string_view, N> &names) {
  const std::string text = v.get<std::string>();
  for (std::size_t k = 0; k < N; ++k)
    if (text == names[k]) return static_cast<Enum>(k);
  return static_cast<Enum>(0); // not reached: the schema's enum has the same names
}

void read_triggers(const Reader &r, const json &doc, models::OrganisationConfig &org) {
  const json *triggers = find(doc, "triggers");
  if (!triggers) return;
  const std::vector<std::string> regions = names_of(org.regions);
  for (std::size_t i = 0; i < triggers->size(); ++i) {
    const json &v = (*triggers)[i];
    const std::string p = fmt::format("/triggers/{}", i);
    models::TriggerConfig t;
    t.name = v["name"].get<std::string>();
    if (const json *region = find(v, "region"))
      t.region = resolve_name(r, *region, regions, "region", p + "/region");
    t.condition =
        enum_of<models::TriggerCondition>(v["condition"], models::trigger_condition_names);
    t.threshold = v["threshold"].get<double>();
    if (t.condition == models::TriggerCondition::sla_last_hour_below && t.threshold > 1)
      r.fail(p + "/threshold",
             fmt::format("expected a share from 0 to 1 for sla_last_hour_below, found {:g}",
                         t.threshold));
    t.action = enum_of<models::TriggerAction>(v["action"], models::trigger_action_names);
    t.agents = number_or(v, "agents", t.agents);
    if (const json *x = find(v, "duration_minutes"))
      t.duration = sim::Duration::from_minutes(x->get<double>());
    if (const json *x = find(v, "cooldown_minutes"))
      t.cooldown = sim::Duration::from_minutes(x->get<double>());
    if (const json *x = find(v, "check_every_minutes"))
      t.check_every = sim::Duration::from_minutes(x->get<double>());
    const json *from = find(v, "from_region");
    if (t.action == models::TriggerAction::borrow && !from)
      r.fail(p, "missing required key \"from_region\" (action borrow needs a region to borrow "
                "agents from)");
    if (from) {
      if (t.action != models::TriggerAction::borrow)
        r.fail(p + "/from_region",
               fmt::format("expected from_region only with action borrow, found action {}",
                           models::trigger_action_names[static_cast<std::size_t>(t.action)]));
      t.from_region = resolve_name(r, *from, regions, "region", p + "/from_region");
      if (t.region && *t.region == *t.from_region)
        r.fail(p + "/from_region",
               fmt::format("expected a region other than the trigger's own ({}), found \"{}\"",
                           regions[*t.region], regions[*t.from_region]));
    }
    t.overtime_cost_factor = number_or(v, "overtime_cost_factor", t.overtime_cost_factor);
    org.triggers.push_back(std::move(t));
  }
  check_unique_names(r, names_of(org.triggers), "triggers", "trigger");
}

/// Things a scenario may say but probably does not mean, and the one capacity mistake that is
/// an error: demand with nobody on the front line to take it.
void check_staffing(Reader &r, const models::OrganisationConfig &org) {
  const models::DemandConfig &d = org.demand;
  if (!(d.cases_per_month > 0)) return;
  auto staffed = [](const models::AgentGroupConfig &g) {
    std::uint64_t people = g.headcount;
    for (const auto &hire : g.hiring_plan)
      people += hire.hires;
    return people > 0;
  };
  const bool front_line = std::any_of(
      org.agent_groups.begin(), org.agent_groups.end(), [&](const models::AgentGroupConfig &g) {
        return staffed(g) && org.tiers[g.tier].role == models::TierRole::front_line;
      });
  if (!front_line)
    r.fail("/agent_groups", fmt::format("expected at least one agent in a group of a front_line "
                                        "tier (nobody would take the {:g} new cases a month), "
                                        "found none",
                                        d.cases_per_month));

  const double floor = org.routing.proficiency_floor;
  auto anyone = [&](auto proficiency) {
    return std::any_of(
        org.agent_groups.begin(), org.agent_groups.end(),
        [&](const models::AgentGroupConfig &g) { return staffed(g) && proficiency(g) >= floor; });
  };
  for (std::size_t l = 0; l < org.languages.size(); ++l) {
    for (std::size_t i = 0; i < org.regions.size(); ++i) {
      const models::RegionConfig &region = org.regions[i];
      if (!(region.demand_share > 0 && region.language_mix[l] > 0)) continue;
      // With a fallback language, such cases wait only until someone speaking it may take them.
      const std::size_t served_in =
          org.routing.fallback_language ? *org.routing.fallback_language : l;
      if (!anyone([&](const models::AgentGroupConfig &g) {
            return std::max(g.language_proficiency[l], g.language_proficiency[served_in]);
          }))
        r.warn(child_pointer(fmt::format("/regions/{}/languages", i), org.languages[l]),
               fmt::format("cases in {} will wait forever: no agent group speaks {} at "
                           "proficiency_floor ({:g}) or above",
                           org.languages[l], org.languages[l], floor));
      break; // one warning per language
    }
  }
  for (std::size_t k = 0; k < org.products.size(); ++k)
    if (d.product_mix[k] > 0 &&
        !anyone([&](const models::AgentGroupConfig &g) { return g.product_proficiency[k]; }))
      r.warn(child_pointer("/demand/product_mix", org.products[k]),
             fmt::format("cases about {} will wait forever: no agent group has {} at "
                         "proficiency_floor ({:g}) or above",
                         org.products[k], org.products[k], floor));
  if (d.segment_mix[models::index_of(models::Segment::premium)] > 0 &&
      std::none_of(org.agent_groups.begin(), org.agent_groups.end(),
                   [&](const models::AgentGroupConfig &g) {
                     return org.tiers[g.tier].role == models::TierRole::tam && !g.accounts.empty();
                   }))
    r.warn("/demand/segment_mix/premium",
           "premium cases have no named TAM: no agent group of a tam tier has accounts; they "
           "are routed like enterprise cases");
}

/// Cases in the run: the first month's volume growing month on month, integrated over the
/// horizon (warm-up included).
double expected_cases(const models::OrganisationConfig &org) {
  const double months = org.horizon.to_hours() / 24 / days_per_month;
  const double g = org.demand.growth_per_month;
  if (std::fabs(g) < 1e-12) return org.demand.cases_per_month * months;
  return org.demand.cases_per_month * (std::pow(1 + g, months) - 1) / std::log1p(g);
}

Scenario read_scenario(Reader &r, const json &doc) {
  detail::validate_against_schema(doc, r.file());
  Scenario s;
  s.source = r.file();
  s.name = doc["name"].get<std::string>();
  if (const json *d = find(doc, "description")) s.description = d->get<std::string>();
  models::OrganisationConfig &org = s.organisation;
  if (const json *x = find(doc, "start")) org.start = read_utc(r, *x, "/start");
  if (const json *x = find(doc, "seed")) s.seed = x->get<std::uint64_t>();
  if (const json *x = find(doc, "replications")) s.replications = x->get<std::uint32_t>();
  const double horizon = doc["horizon_days"].get<double>();
  // At least an hour: anything shorter measures nothing and is a unit mistake.
  if (horizon < 1.0 / 24)
    r.fail("/horizon_days",
           fmt::format("expected at least 1/24 day (one hour), found {:g}", horizon));
  const double warmup = doc.value("warmup_days", 0.0);
  if (horizon + warmup > max_horizon_days)
    r.fail("/warmup_days", fmt::format("expected horizon_days + warmup_days <= {:g}, found {:g}",
                                       max_horizon_days, horizon + warmup));
  s.warmup = sim::Duration::from_minutes(warmup * 24 * 60);
  org.horizon = s.warmup + sim::Duration::from_minutes(horizon * 24 * 60);
  // Times are written with four-digit years (case exports, traces, reports): a window that
  // ends later would be written as year 0000.
  if (const sim::UtcTime last = sim::parse_utc("9999-12-31T23:59:59Z");
      org.start > last - std::chrono::microseconds(org.horizon.ticks()))
    r.fail(find(doc, "start") ? "/start" : "/horizon_days",
           fmt::format("expected a window that ends by the year 9999 (times are written with "
                       "four-digit years), found a start of {} with {:g} days of horizon and "
                       "warm-up",
                       doc.value("start", std::string("2027-01-04")), horizon + warmup));

  // Products first: skills, incidents and work factors refer to them.
  if (const json *mix = find(doc["demand"], "product_mix"))
    for (const auto &item : mix->items())
      org.products.push_back(item.key());
  else
    org.products = {"general"};
  read_regions(r, doc, org);
  read_sites(r, doc, org);
  read_shifts(r, doc, org);
  read_tiers(r, doc, org);
  read_agent_groups(r, doc, org);
  read_experience(r, doc, org.experience);
  read_demand(r, doc, org);
  read_lifecycle(r, doc, org);
  read_sla(r, doc, s.organisation.service_levels, s.sla);
  read_routing(r, doc, org);
  read_triggers(r, doc, org);
  check_staffing(r, org);

  // A run this large would take minutes per replication and looks like a unit mistake (cases
  // per day given per month, say); refuse it rather than appear to hang.
  if (const double cases = expected_cases(org); !(cases <= max_cases_per_replication))
    r.fail("/demand/cases_per_month",
           fmt::format("expected at most {:g} cases per replication, found {:.3g} "
                       "(cases_per_month with growth over horizon_days + warmup_days)",
                       max_cases_per_replication, cases));
  s.warnings = r.take_warnings();
  return s;
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line, column = 1;
    else
      ++column;
  }
  return {line, column};
}

} // namespace

namespace {

/// Follows the parser through the document to name a key given twice in one object by its
/// JSON pointer: nlohmann keeps the last silently, which would change the scenario unseen.
class DuplicateKeys {
public:
  explicit DuplicateKeys(const std::string &source) : source_(source) {}

  bool operator()(int, json::parse_event_t event, json &parsed) {
    switch (event) {
    case json::parse_event_t::object_start:
      frames_.push_back({true, {}, 0, {}});
      break;
    case json::parse_event_t::array_start:
      frames_.push_back({false, {}, 0, {}});
      break;
    case json::parse_event_t::key: {
      Frame &f = frames_.back();
      f.key = parsed.get<std::string>();
      if (!f.keys.insert(f.key).second)
        throw ScenarioError(source_, pointer(),
                            fmt::format("duplicate key \"{}\": a key may appear once in an "
                                        "object (the JSON reader would keep only the last)",
                                        f.key));
      break;
    }
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      frames_.pop_back();
      element_done();
      break;
    case json::parse_event_t::value:
      element_done();
      break;
    }
    return true;
  }

private:
  struct Frame {
    bool object;
    std::string key;   // an object's current key
    std::size_t index; // an array's current element
    std::set<std::string> keys;
  };
  void element_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  std::string pointer() const {
    std::string out;
    for (const Frame &f : frames_)
      out = f.object ? child_pointer(out, f.key) : fmt::format("{}/{}", out, f.index);
    return out;
  }

  const std::string &source_;
  std::vector<Frame> frames_;
};

json parse_json(std::string_view text, const std::string &source) {
  // nlohmann's messages start "[json.exception.parse_error.101] parse error at line 3, ...";
  // keep the explanation, but say where in our own terms.
  auto explanation = [](const json::exception &e) {
    std::string why = e.what();
    if (const auto bracket = why.find("] "); bracket != std::string::npos)
      why = why.substr(bracket + 2);
    return why;
  };
  try {
    DuplicateKeys duplicates(source);
    return json::parse(text.begin(), text.end(), std::ref(duplicates));
  } catch (const json::parse_error &e) {
    const auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    throw ScenarioError(fmt::format("{}:{}:{}", source, line, column), "",
                        fmt::format("not valid JSON ({})", explanation(e)));
  } catch (const json::exception &e) {
    // A number too large for a double ("1e400") is valid JSON that nlohmann cannot hold; it
    // names the number, so point at its first occurrence.
    std::string where = source;
    const std::string why = explanation(e);
    if (const auto q1 = why.find('\''), q2 = why.rfind('\''); q1 != std::string::npos && q2 > q1) {
      if (const auto at = text.find(why.substr(q1 + 1, q2 - q1 - 1));
          at != std::string_view::npos) {
        const auto [line, column] = line_and_column(text, at);
        where = fmt::format("{}:{}:{}", source, line, column);
      }
    }
    throw ScenarioError(where, "", fmt::format("expected a number a double can hold ({})", why));
  }
}

std::string read_text_file(const std::string &path, const char *what = "a scenario file (.json)") {
  return read_input_file(path, what);
}

bool all_named(const json &array) {
  return std::all_of(array.begin(), array.end(), [](const json &e) {
    return e.is_object() && e.contains("name") && e["name"].is_string();
  });
}

constexpr std::size_t max_extends_depth = 16;
constexpr const char *embedded_source = "(embedded default)";

/// Resolves "extends" chains: the named base ("default" is the embedded scenario; anything else
/// a file path, relative to the extending file's folder), itself resolved, with this document
/// laid over it.
json resolve_extends(json doc, const std::string &source, const std::filesystem::path &folder,
                     std::vector<std::string> &chain) {
  if (!doc.is_object() || !doc.contains("extends")) {
    detail::reject_changes(doc, source);
    return doc;
  }
  const json base_name = doc["extends"];
  if (!base_name.is_string() || base_name.get<std::string>().empty())
    Reader(source).fail(
        "/extends", fmt::format("expected the name of a scenario file, or \"default\", found {}",
                                describe(base_name)));
  doc.erase("extends");
  const std::string name = base_name.get<std::string>();
  const bool embedded = name == "default";
  const std::filesystem::path path = embedded ? std::filesystem::path{} : folder / name;
  const std::string key =
      embedded ? embedded_source : std::filesystem::weakly_canonical(path).string();
  if (std::find(chain.begin(), chain.end(), key) != chain.end() ||
      chain.size() >= max_extends_depth) {
    std::string cycle;
    for (const std::string &c : chain)
      cycle += c + " -> ";
    throw ScenarioError(source, "/extends",
                        fmt::format("expected a chain of extends without a cycle (at most {} "
                                    "deep), found {}{}",
                                    max_extends_depth, cycle, key));
  }
  chain.push_back(key);
  const std::string base_source = embedded ? embedded_source : path.string();
  std::string base_text;
  if (!embedded) {
    // A base that cannot be read is a mistake in this file's "extends": say so here.
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      throw ScenarioError(
          source, "/extends",
          fmt::format("expected a scenario file to extend, found no file {}", path.string()));
    if (const auto problem = input_file_problem(path.string(), "a scenario file to extend"))
      throw ScenarioError(source, "/extends", fmt::format("{} {}", path.string(), *problem));
    base_text = read_text_file(path.string());
  }
  json base = embedded ? parse_json(default_scenario_text(), base_source)
                       : parse_json(base_text, base_source);
  base =
      resolve_extends(std::move(base), base_source, embedded ? folder : path.parent_path(), chain);
  merge_scenario_documents(base, doc, source);
  return base;
}

/// The document of `text` with its extends chain resolved; `folder` is where relative bases are
/// found, `key` names the text in the chain (a canonical path) so that cycles are seen.
json document_in(std::string_view text, const std::string &source,
                 const std::filesystem::path &folder, const std::string &key) {
  std::vector<std::string> chain{key};
  return resolve_extends(parse_json(text, source), source, folder, chain);
}

} // namespace

namespace {

/// What one element of an array called `section` is, for messages: "agent group" for
/// agent_groups.
std::string element_noun(std::string section) {
  std::replace(section.begin(), section.end(), '_', ' ');
  if (section.ends_with('s')) section.pop_back();
  return section;
}

/// The names in `base` nearest to `name`, nearest first, at most three.
std::string nearest_names(const json &base, const std::string &name) {
  std::vector<std::pair<std::size_t, std::string>> names;
  for (const json &b : base)
    names.emplace_back(detail::edit_distance(name, b["name"].get<std::string>()),
                       b["name"].get<std::string>());
  std::stable_sort(names.begin(), names.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i)
    out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", names[i].second);
  return out;
}

/// The elements of `base` (an array of named elements called `section`) that `pattern` selects
/// when it is no element's name: with '*', those whose name matches it (case ignored); agent
/// groups also by their REGION-TIER label ("EMEA-L1", "*-L1"), as plan and sweep read patterns.
std::vector<std::size_t> selected_elements(const json &base, const std::string &pattern,
                                           const std::string &section, const json &root) {
  std::vector<std::size_t> out;
  const bool glob = pattern.find('*') != std::string::npos;
  for (std::size_t i = 0; i < base.size(); ++i) {
    const std::string name = base[i]["name"].get<std::string>();
    if ((glob && glob_match(pattern, name, true)) ||
        (section == "agent_groups" &&
         glob_match(pattern, detail::group_label(root, base[i]), true)))
      out.push_back(i);
  }
  return out;
}

void merge_documents(json &base, const json &overlay, const std::string &source,
                     const std::string &pointer, const std::string &section, const json &root) {
  if (base.is_object() && overlay.is_object() && !detail::is_change(overlay)) {
    for (const auto &item : overlay.items()) {
      const std::string at = child_pointer(pointer, item.key());
      if (item.value().is_null())
        base.erase(item.key());
      else if (detail::is_change(item.value()))
        base[item.key()] = detail::apply_change(
            base.contains(item.key()) ? &base[item.key()] : nullptr, item.value(), source, at);
      else if (base.contains(item.key()))
        merge_documents(base[item.key()], item.value(), source, at, item.key(), root);
      else
        base[item.key()] = item.value();
    }
    return;
  }
  // An empty overlay array replaces the base's: "triggers": [] removes every trigger.
  if (base.is_array() && overlay.is_array() && !overlay.empty() && all_named(base) &&
      all_named(overlay)) {
    for (std::size_t i = 0; i < overlay.size(); ++i) {
      const json &element = overlay[i];
      const std::string name = element["name"].get<std::string>();
      const auto same = std::find_if(base.begin(), base.end(),
                                     [&](const json &b) { return b["name"] == element["name"]; });
      const bool remove = element.contains("remove") && element["remove"] == true;
      const bool add = element.contains("add") && element["add"] == true;
      const std::string at = fmt::format("{}/{}", pointer, i);
      if (same == base.end() && !add && !base.empty()) {
        // A pattern or a REGION-TIER label: the change applies to every element it selects.
        const std::vector<std::size_t> selected = selected_elements(base, name, section, root);
        if (!selected.empty()) {
          json change = element;
          change.erase("name");
          change.erase("remove");
          for (auto k = selected.rbegin(); k != selected.rend(); ++k) {
            if (remove)
              base.erase(base.begin() + static_cast<std::ptrdiff_t>(*k));
            else
              merge_documents(base[*k], change, source, at, section, root);
          }
          continue;
        }
        if (name.find('*') != std::string::npos)
          throw ScenarioError(source, at + "/name",
                              fmt::format("no {} matches \"{}\"; the nearest: {}",
                                          element_noun(section), name, nearest_names(base, name)));
      }
      if (same == base.end()) {
        if (remove)
          throw ScenarioError(source, at,
                              fmt::format("no {} named \"{}\" in the base to remove; the "
                                          "nearest: {}",
                                          element_noun(section), name, nearest_names(base, name)));
        // A name the base does not have is most often a typo of one it has: adding it
        // silently would run another organisation than the one meant.
        if (!add && !base.empty())
          throw ScenarioError(
              source, at,
              fmt::format("no {} named \"{}\" in the base; the nearest: {}. To add a new {}, "
                          "give it \"add\": true",
                          element_noun(section), name, nearest_names(base, name),
                          element_noun(section)));
        base.push_back(element);
      } else if (add) {
        throw ScenarioError(source, at + "/add",
                            fmt::format("expected a new name with \"add\": true, found \"{}\", "
                                        "which the base has already",
                                        name));
      } else if (remove) {
        base.erase(same);
      } else {
        merge_documents(*same, element, source, at, section, root);
      }
    }
    return;
  }
  base = overlay;
}

} // namespace

void merge_scenario_documents(json &base, const json &overlay, const std::string &source,
                              const std::string &pointer) {
  json changes = overlay;
  const std::vector<detail::VolumeFactor> factors =
      detail::take_volume_factors(changes, source, pointer);
  const json before = factors.empty() ? json{} : base;
  // The labels of agent groups ("EMEA-L1") are read from the base's regions, sites and tiers as
  // they were: the merge changes `base`. Only those are copied (a copy recurses per level).
  json root = json::object();
  if (base.is_object())
    for (const char *key : {"regions", "sites", "tiers"})
      if (base.contains(key)) root[key] = base[key];
  merge_documents(base, changes, source, pointer, "", root);
  detail::apply_volume_factors(before, base, factors, source);
  // A change inside a new element (or a new key's object) has no base value to change.
  detail::reject_changes(base, source);
}

std::string scenario_source_name(const std::string &path) {
  return path.empty() ? embedded_source : path;
}

json load_scenario_document(const std::string &path) {
  if (path.empty())
    return document_in(default_scenario_text(), embedded_source, {}, embedded_source);
  const std::string text = read_text_file(path);
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return document_in(text, path, std::filesystem::path(path).parent_path(),
                     ec ? path : canonical.string());
}

Scenario parse_scenario_document(const json &doc, const std::string &source) {
  // The schema admits a what-if's changes ({"add": 2}); only a merge turns them into values.
  detail::reject_changes(doc, source);
  Reader reader(source);
  return read_scenario(reader, doc);
}

json read_json_file(const std::string &path, const char *what, std::uintmax_t max_bytes) {
  return parse_json(read_input_file(path, what, max_bytes), path);
}

json parse_json_text(std::string_view text, const std::string &source) {
  return parse_json(text, source);
}

Scenario parse_scenario(std::string_view text, const std::string &source) {
  return parse_scenario_document(document_in(text, source, std::filesystem::current_path(), source),
                                 source);
}

Scenario load_scenario_file(const std::string &path) {
  return parse_scenario_document(load_scenario_document(path), scenario_source_name(path));
}

Scenario default_scenario() {
  return load_scenario_file("");
}

} // namespace supportsim::scenarios
