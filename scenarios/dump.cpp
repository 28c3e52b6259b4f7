#include "scenarios/dump.hpp"

#include "scenarios/scenario.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace supportsim::scenarios {

nlohmann::ordered_json distribution_json(const sim::DistributionSpec &spec) {
  nlohmann::ordered_json j;
  j["type"] = spec.type;
  for (const auto &[name, value] : spec.parameters)
    j[name] = value;
  if (spec.type == "empirical") j["values"] = spec.values;
  if (spec.type == "mixture") {
    j["components"] = nlohmann::ordered_json::array();
    for (const auto &[weight, part] : spec.components)
      j["components"].push_back({{"weight", weight}, {"distribution", distribution_json(part)}});
  }
  return j;
}

namespace {

using nlohmann::ordered_json;

// Every value is written, defaults included, in the order of docs/scenario-format.md; named
// references (a site's region, a group's shifts) are written as names. Loading the text gives
// the same scenario, and dumping that gives the same text (a test checks both).

ordered_json distribution_json(const sim::Distribution &d) {
  return scenarios::distribution_json(d.spec());
}

template <class T, std::size_t N>
ordered_json named(const std::array<T, N> &values, const std::array<std::string_view, N> &names) {
  ordered_json j = ordered_json::object();
  for (std::size_t i = 0; i < N; ++i)
    j[std::string(names[i])] = values[i];
  return j;
}

ordered_json minutes(const models::PerPriority<sim::Duration> &values) {
  models::PerPriority<double> m{};
  for (std::size_t i = 0; i < m.size(); ++i)
    m[i] = values[i].to_minutes();
  return named(m, models::priority_names);
}

ordered_json by_name(const std::vector<double> &values, const std::vector<std::string> &names) {
  ordered_json j = ordered_json::object();
  for (std::size_t i = 0; i < names.size(); ++i)
    j[names[i]] = values[i];
  return j;
}

std::string time_of_day(models::TimeOfDay t) {
  return fmt::format("{:02}:{:02}", t.minute / 60, t.minute % 60);
}

std::string date_text(const models::Date &d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

ordered_json dates(const std::vector<models::Date> &ds) {
  ordered_json j = ordered_json::array();
  for (const models::Date &d : ds)
    j.push_back(date_text(d));
  return j;
}

std::string utc_text(sim::UtcTime t) {
  return date::format("%FT%TZ",
                      date::floor<std::chrono::seconds>(
                          date::sys_time<std::chrono::microseconds>(t.time_since_epoch())));
}

ordered_json weekdays(const models::Weekdays &days) {
  ordered_json j = ordered_json::array();
  for (std::size_t i = 0; i < days.size(); ++i)
    if (days[i]) j.push_back(std::string(models::weekday_names[i]));
  return j;
}

ordered_json names_where(const std::vector<bool> &chosen, const std::vector<std::string> &names) {
  ordered_json j = ordered_json::array();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (chosen[i]) j.push_back(names[i]);
  return j;
}

ordered_json learning_curve(const models::LearningCurve &c) {
  if (c.table.empty())
    return {{"at_hire", c.at_hire}, {"time_constant_months", c.time_constant_months}};
  ordered_json table = ordered_json::array();
  for (const auto &[months, multiplier] : c.table)
    table.push_back({{"months", months}, {"multiplier", multiplier}});
  return {{"table", table}};
}

ordered_json organisation_regions(const models::OrganisationConfig &org) {
  ordered_json out = ordered_json::array();
  for (const models::RegionConfig &r : org.regions) {
    ordered_json j;
    j["name"] = r.name;
    j["time_zone"] = r.time_zone;
    j["demand_share"] = r.demand_share;
    j["languages"] = by_name(r.language_mix, org.languages);
    j["holidays"] = dates(r.holidays);
    if (r.hourly_profile) j["hourly_profile"] = *r.hourly_profile;
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json organisation_groups(const models::OrganisationConfig &org) {
  ordered_json out = ordered_json::array();
  for (const models::AgentGroupConfig &g : org.agent_groups) {
    ordered_json j;
    j["name"] = g.name;
    j["site"] = org.sites[g.site].name;
    j["tier"] = org.tiers[g.tier].name;
    j["headcount"] = g.headcount;
    j["shifts"] = ordered_json::array();
    for (std::size_t s : g.shifts)
      j["shifts"].push_back(org.shifts[s].name);
    ordered_json skills = by_name(g.product_proficiency, org.products);
    for (std::size_t l = 0; l < org.languages.size(); ++l)
      skills[org.languages[l]] = g.language_proficiency[l];
    j["skills"] = std::move(skills);
    j["tenure_months"] = distribution_json(g.tenure_months);
    j["chat_concurrency"] = g.chat_concurrency;
    j["cost_per_agent_hour"] = g.cost_per_agent_hour;
    j["accounts"] = g.accounts;
    j["attrition_per_year"] = g.attrition_per_year;
    j["hiring_plan"] = ordered_json::array();
    for (const models::HiringConfig &h : g.hiring_plan)
      j["hiring_plan"].push_back({{"date", date_text(h.date)}, {"hires", h.hires}});
    j["shrinkage"] = {{"absence", g.shrinkage.absence}, {"off_queue", g.shrinkage.off_queue}};
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json incident_json(const models::IncidentConfig &incident,
                           const models::OrganisationConfig &org) {
  std::vector<std::string> regions;
  for (const auto &r : org.regions)
    regions.push_back(r.name);
  ordered_json ji;
  ji["name"] = incident.name;
  ji["start"] = utc_text(incident.start);
  ji["hours"] = incident.duration.to_hours();
  ji["multiplier"] = incident.multiplier;
  ji["priorities"] = ordered_json::array();
  for (std::size_t p = 0; p < models::priority_count; ++p)
    if (incident.priorities[p]) ji["priorities"].push_back(std::string(models::priority_names[p]));
  ji["products"] = names_where(incident.products, org.products);
  ji["regions"] = names_where(incident.regions, regions);
  return ji;
}

ordered_json lifecycle_json(const models::OrganisationConfig &org) {
  const models::LifecycleConfig &l = org.lifecycle;
  ordered_json j;
  j["touches"] = distribution_json(l.touches);
  j["work_minutes"] = ordered_json::object();
  for (std::size_t c = 0; c < models::channel_count; ++c)
    j["work_minutes"][std::string(models::channel_names[c])] = distribution_json(l.work_minutes[c]);
  j["priority_work_factor"] = named(l.priority_work_factor, models::priority_names);
  j["product_work_factor"] = by_name(l.product_work_factor, org.products);
  j["customer_wait_hours"] = distribution_json(l.customer_wait_hours);
  j["engineering_turnaround_hours"] = distribution_json(l.engineering_turnaround_hours);
  j["reopen_probability"] = l.reopen_probability;
  j["reopen_after_hours"] = distribution_json(l.reopen_after_hours);
  j["patience_minutes"] = ordered_json::object();
  for (std::size_t c = 0; c < models::channel_count; ++c)
    if (l.patience_minutes[c])
      j["patience_minutes"][std::string(models::channel_names[c])] =
          distribution_json(*l.patience_minutes[c]);
  j["chat_slowdown_per_extra_chat"] = l.chat_slowdown_per_extra_chat;
  return j;
}

ordered_json sla_json(const models::ServiceLevels &levels, const SlaPolicy &sla) {
  ordered_json j;
  // Every segment states all its targets, so no common first_response_minutes is needed.
  j["segments"] = ordered_json::object();
  for (std::size_t s = 0; s < models::segment_count; ++s)
    j["segments"][std::string(models::segment_names[s])] = {
        {"first_response_minutes", minutes(levels.first_response[s])},
        {"clock", levels.business_hours_clock[s] ? "business_hours" : "24x7"}};
  j["business_hours"] = {{"days", weekdays(levels.business_hours.days)},
                         {"start", time_of_day(levels.business_hours.start)},
                         {"end", time_of_day(levels.business_hours.end)}};
  j["targets"] = named(sla.attainment_target, models::priority_names);
  j["utilisation_target"] = sla.utilisation_target;
  j["forecast_variance_max"] = sla.forecast_variance_max;
  j["regional_spread_max"] = sla.regional_spread_max;
  return j;
}

ordered_json routing_json(const models::RoutingConfig &r,
                          const std::vector<std::string> &languages) {
  ordered_json j;
  j["weights"] = named(r.weights, models::work_type_names);
  j["ageing_per_hour"] = r.ageing_per_hour;
  j["proficiency_required"] = r.proficiency_required;
  j["overflow_after_minutes"] = minutes(r.overflow_after);
  j["proficiency_floor"] = r.proficiency_floor;
  j["live_overflow_after_minutes"] = r.live_overflow_after.to_minutes();
  if (r.fallback_language) j["fallback_language"] = languages[*r.fallback_language];
  j["tam_first"] = r.tam_first;
  j["handoff"] = ordered_json::object();
  for (std::size_t p = 0; p < models::priority_count; ++p)
    j["handoff"][std::string(models::priority_names[p])] =
        r.handoff[p] == models::Handoff::follow_the_sun ? "follow_the_sun" : "owner_region";
  return j;
}

} // namespace

std::string dump_scenario(const Scenario &s) {
  const models::OrganisationConfig &org = s.organisation;
  ordered_json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["start"] = utc_text(org.start);
  j["horizon_days"] = (org.horizon - s.warmup).to_hours() / 24;
  j["warmup_days"] = s.warmup.to_hours() / 24;
  j["seed"] = s.seed;
  j["replications"] = s.replications;
  j["regions"] = organisation_regions(org);

  j["sites"] = ordered_json::array();
  for (const models::SiteConfig &site : org.sites)
    j["sites"].push_back({{"name", site.name},
                          {"region", org.regions[site.region].name},
                          {"time_zone", site.time_zone},
                          {"cost_per_agent_hour", site.cost_per_agent_hour},
                          {"holidays", dates(site.holidays)}});

  j["shifts"] = ordered_json::array();
  for (const models::ShiftConfig &shift : org.shifts) {
    ordered_json breaks = ordered_json::array();
    for (const models::BreakConfig &b : shift.breaks)
      breaks.push_back({{"start", time_of_day(b.start)}, {"minutes", b.minutes}, {"paid", b.paid}});
    j["shifts"].push_back({{"name", shift.name},
                           {"days", weekdays(shift.days)},
                           {"start", time_of_day(shift.start)},
                           {"end", time_of_day(shift.end)},
                           {"breaks", std::move(breaks)},
                           {"rotation_weeks", shift.rotation_weeks},
                           {"on_call", shift.on_call}});
  }

  j["tiers"] = ordered_json::array();
  for (const models::TierConfig &tier : org.tiers) {
    ordered_json jt;
    jt["name"] = tier.name;
    jt["role"] = std::string(models::tier_role_names[static_cast<std::size_t>(tier.role)]);
    if (tier.escalates_to)
      jt["escalates_to"] = org.tiers[*tier.escalates_to].name;
    else if (tier.to_engineering)
      jt["escalates_to"] = "engineering";
    jt["escalation_probability"] = tier.escalation_probability;
    j["tiers"].push_back(std::move(jt));
  }

  j["agent_groups"] = organisation_groups(org);
  j["experience"] = {{"training_weeks", org.experience.training_weeks},
                     {"handle_time", learning_curve(org.experience.handle_time)},
                     {"escalation", learning_curve(org.experience.escalation)}};
  j["demand"] = demand_json(org.demand, org);
  j["lifecycle"] = lifecycle_json(org);
  j["sla"] = sla_json(s.organisation.service_levels, s.sla);
  j["routing"] = routing_json(org.routing, org.languages);

  j["triggers"] = ordered_json::array();
  for (const models::TriggerConfig &t : org.triggers) {
    ordered_json jt;
    jt["name"] = t.name;
    if (t.region) jt["region"] = org.regions[*t.region].name;
    jt["condition"] =
        std::string(models::trigger_condition_names[static_cast<std::size_t>(t.condition)]);
    jt["threshold"] = t.threshold;
    jt["action"] = std::string(models::trigger_action_names[static_cast<std::size_t>(t.action)]);
    jt["agents"] = t.agents;
    jt["duration_minutes"] = t.duration.to_minutes();
    jt["cooldown_minutes"] = t.cooldown.to_minutes();
    jt["check_every_minutes"] = t.check_every.to_minutes();
    if (t.from_region) jt["from_region"] = org.regions[*t.from_region].name;
    jt["overtime_cost_factor"] = t.overtime_cost_factor;
    j["triggers"].push_back(std::move(jt));
  }
  return j.dump(2) + "\n";
}

ordered_json demand_json(const models::DemandConfig &d, const models::OrganisationConfig &org,
                         const DemandKeys &keys) {
  ordered_json j;
  j["cases_per_month"] = d.cases_per_month;
  j["growth_per_month"] = d.growth_per_month;
  j["hourly_profile"] = d.hourly_profile;
  if (keys.weekly_profile) j["weekly_profile"] = d.weekly_profile;
  if (keys.daily_cv) j["daily_cv"] = d.daily_cv;
  if (keys.holiday_factor) j["holiday_factor"] = d.holiday_factor;
  if (keys.priority_mix) j["priority_mix"] = named(d.priority_mix, models::priority_names);
  if (keys.channel_mix) j["channel_mix"] = named(d.channel_mix, models::channel_names);
  if (keys.segment_mix) j["segment_mix"] = named(d.segment_mix, models::segment_names);
  if (keys.product_mix) {
    ordered_json products = ordered_json::object();
    for (std::size_t i = 0; i < org.products.size(); ++i)
      if (keys.products.empty() || keys.products[i]) products[org.products[i]] = d.product_mix[i];
    j["product_mix"] = std::move(products);
  }
  if (keys.incidents) {
    j["incidents"] = ordered_json::array();
    for (const models::IncidentConfig &incident : d.incidents)
      j["incidents"].push_back(incident_json(incident, org));
  }
  return j;
}

} // namespace supportsim::scenarios
