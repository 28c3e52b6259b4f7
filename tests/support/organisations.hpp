#pragma once

// Organisations built in code for model tests, independent of the scenario loader.

#include "models/organisation.hpp"

namespace supportsim::testing {

/// An M/M/c queue (M/M/c+M with patience): one region and site in UTC, `servers` agents on a
/// 24x7 shift, Poisson arrivals at `per_hour`, exponential work of `mean_minutes`, one touch,
/// no escalation. Patience (exponential, mean `patience_minutes`) applies when > 0: the cases
/// are then chats, which abandon; otherwise emails.
inline models::OrganisationConfig mmc(std::uint32_t servers, double per_hour, double mean_minutes,
                                      double patience_minutes, double days) {
  using namespace models;
  OrganisationConfig o;
  o.start = sim::parse_utc("2027-01-04");
  o.horizon = sim::Duration::from_minutes(days * 24 * 60);
  o.products = {"general"};
  o.languages = {"en"};
  o.regions.push_back(RegionConfig{"Global", "UTC", 1.0, {1.0}, {}, std::nullopt});
  o.sites.push_back(SiteConfig{"Main", 0, "UTC", {}, 40.0});
  ShiftConfig always;
  always.name = "24x7";
  always.days.fill(true);
  always.start = TimeOfDay{0};
  always.end = TimeOfDay{24 * 60};
  o.shifts.push_back(always);
  o.tiers.push_back(TierConfig{"L1", TierRole::front_line, std::nullopt, false, 0.0});
  AgentGroupConfig team;
  team.name = "team";
  team.headcount = servers;
  team.shifts = {0};
  team.product_proficiency = {1.0};
  team.language_proficiency = {1.0};
  team.cost_per_agent_hour = 40.0;
  o.agent_groups.push_back(team);
  o.demand.cases_per_month = per_hour * 24 * 365.25 / 12;
  o.demand.product_mix = {1.0};
  const Channel channel = patience_minutes > 0 ? Channel::chat : Channel::email;
  o.demand.channel_mix = {0.0, 0.0, 0.0};
  o.demand.channel_mix[index_of(channel)] = 1.0;
  o.lifecycle.work_minutes[index_of(channel)] = sim::Distribution::exponential(mean_minutes);
  if (patience_minutes > 0)
    o.lifecycle.patience_minutes[index_of(channel)] =
        sim::Distribution::exponential(patience_minutes);
  return o;
}

} // namespace supportsim::testing

namespace supportsim::testing {

/// A small organisation that uses every feature of the model: two regions in different time
/// zones, day shifts with unpaid breaks and a weekend rota, L1 -> L2 -> engineering, a TAM
/// with named accounts, two languages and two products with uneven skills, chats held two at a
/// time, patience on live channels, reopens, shrinkage, hiring, attrition and every trigger.
inline models::OrganisationConfig rich(double days = 28) {
  using namespace models;
  OrganisationConfig o;
  o.start = sim::parse_utc("2027-03-01");
  o.horizon = sim::Duration::from_minutes(days * 24 * 60);
  o.products = {"A", "B"};
  o.languages = {"en", "ja"};
  o.regions.push_back(RegionConfig{"EMEA", "Europe/London", 0.6, {1.0, 0.0}, {}, std::nullopt});
  o.regions.push_back(RegionConfig{"APJC", "Asia/Tokyo", 0.4, {0.5, 0.5}, {}, std::nullopt});
  o.sites.push_back(SiteConfig{"London", 0, "Europe/London", {}, 50.0});
  o.sites.push_back(SiteConfig{"Tokyo", 1, "Asia/Tokyo", {}, 45.0});
  ShiftConfig day;
  day.name = "day";
  day.start = TimeOfDay{9 * 60};
  day.end = TimeOfDay{17 * 60 + 30};
  day.breaks.push_back(BreakConfig{TimeOfDay{12 * 60 + 30}, 30, false});
  ShiftConfig weekend;
  weekend.name = "weekend";
  weekend.days = {false, false, false, false, false, true, true};
  weekend.rotation_weeks = 2;
  ShiftConfig night;
  night.name = "night";
  night.days.fill(true);
  night.start = TimeOfDay{22 * 60};
  night.end = TimeOfDay{6 * 60};
  night.on_call = true;
  o.shifts = {day, weekend, night};
  o.tiers.push_back(TierConfig{"L1", TierRole::front_line, 1, false, 0.15});
  o.tiers.push_back(TierConfig{"L2", TierRole::escalation, std::nullopt, true, 0.2});
  o.tiers.push_back(TierConfig{"TAM", TierRole::tam, 1, false, 0.1});
  auto group = [&](std::string name, std::size_t site, std::size_t tier, std::uint32_t headcount,
                   std::vector<std::size_t> shifts, std::vector<double> products,
                   std::vector<double> languages) {
    AgentGroupConfig g;
    g.name = std::move(name);
    g.site = site;
    g.tier = tier;
    g.headcount = headcount;
    g.shifts = std::move(shifts);
    g.product_proficiency = std::move(products);
    g.language_proficiency = std::move(languages);
    g.tenure_months = sim::Distribution::gamma(12.0, 0.8);
    g.cost_per_agent_hour = o.sites[site].cost_per_agent_hour;
    g.shrinkage = ShrinkageConfig{0.05, 0.1};
    return g;
  };
  o.agent_groups.push_back(group("london-l1", 0, 0, 6, {0, 1}, {0.9, 0.5}, {1.0, 0.0}));
  o.agent_groups.back().chat_concurrency = 2;
  o.agent_groups.back().hiring_plan.push_back(
      HiringConfig{Date{std::chrono::year{2027} / 3 / 8}, 2});
  o.agent_groups.back().attrition_per_year = 0.3;
  o.agent_groups.push_back(group("london-night", 0, 0, 2, {2}, {0.7, 0.7}, {1.0, 0.0}));
  o.agent_groups.push_back(group("tokyo-l1", 1, 0, 4, {0, 1}, {0.8, 0.8}, {0.7, 1.0}));
  o.agent_groups.back().chat_concurrency = 2;
  o.agent_groups.push_back(group("london-l2", 0, 1, 2, {0}, {1.0, 1.0}, {1.0, 0.0}));
  o.agent_groups.push_back(group("tokyo-l2", 1, 1, 1, {0}, {1.0, 1.0}, {0.8, 1.0}));
  o.agent_groups.push_back(group("tam", 0, 2, 1, {0}, {1.0, 1.0}, {1.0, 0.4}));
  o.agent_groups.back().accounts = {"Acme", "Globex"};
  o.experience.training_weeks = 2;
  o.experience.handle_time = LearningCurve{1.8, 4.0, {}};
  o.experience.escalation = LearningCurve{1.0, 1.0, {{0.0, 2.0}, {6.0, 1.2}, {24.0, 1.0}}};
  DemandConfig &d = o.demand;
  d.cases_per_month = 3000;
  d.growth_per_month = 0.02;
  for (std::size_t h = 0; h < 24; ++h)
    d.hourly_profile[h] = h >= 8 && h < 19 ? 2.0 : 0.4;
  d.weekly_profile = {1.2, 1.2, 1.1, 1.1, 1.0, 0.4, 0.3};
  d.daily_cv = 0.15;
  d.priority_mix = {0.03, 0.12, 0.45, 0.40};
  d.channel_mix = {0.15, 0.35, 0.50};
  d.segment_mix = {0.2, 0.2, 0.3, 0.2, 0.1};
  d.product_mix = {0.6, 0.4};
  IncidentConfig incident;
  incident.name = "outage";
  incident.start = sim::parse_utc("2027-03-10T10:00:00Z");
  incident.duration = sim::Duration::hours(4);
  incident.multiplier = 6.0;
  d.incidents.push_back(incident);
  LifecycleConfig &l = o.lifecycle;
  l.touches = sim::Distribution::empirical({1, 1, 2, 2, 3});
  l.work_minutes = {sim::Distribution::lognormal(15, 0.7), sim::Distribution::lognormal(12, 0.7),
                    sim::Distribution::lognormal(20, 0.9)};
  l.priority_work_factor = {1.5, 1.2, 1.0, 0.8};
  l.product_work_factor = {1.0, 1.3};
  l.customer_wait_hours = sim::Distribution::exponential(8);
  l.engineering_turnaround_hours = sim::Distribution::exponential(24);
  l.reopen_probability = 0.1;
  l.reopen_after_hours = sim::Distribution::exponential(24);
  l.patience_minutes[index_of(Channel::phone)] = sim::Distribution::exponential(10);
  l.patience_minutes[index_of(Channel::chat)] = sim::Distribution::exponential(15);
  o.triggers.push_back(TriggerConfig{"surge", std::nullopt, TriggerCondition::front_door_wait_above,
                                     5, TriggerAction::pull_from_backlog, 2,
                                     sim::Duration::hours(1), sim::Duration::hours(2),
                                     sim::Duration::minutes(15), std::nullopt, 1.5});
  o.triggers.push_back(TriggerConfig{"late", 0, TriggerCondition::backlog_above, 20,
                                     TriggerAction::overtime, 2, sim::Duration::hours(1),
                                     sim::Duration::hours(12), sim::Duration::minutes(15),
                                     std::nullopt, 1.5});
  o.triggers.push_back(TriggerConfig{"sla-watch", 1, TriggerCondition::sla_last_hour_below, 0.8,
                                     TriggerAction::pull_from_backlog, 1, sim::Duration::hours(1),
                                     sim::Duration::hours(3), sim::Duration::minutes(30),
                                     std::nullopt, 1.5});
  o.triggers.push_back(TriggerConfig{"borrow", 1, TriggerCondition::backlog_above, 10,
                                     TriggerAction::borrow, 1, sim::Duration::hours(2),
                                     sim::Duration::hours(6), sim::Duration::minutes(15), 0, 1.5});
  return o;
}

} // namespace supportsim::testing
