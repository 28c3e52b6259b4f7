#include "scenarios/scenario.hpp"

#include <date/date.h>
#include <nlohmann/json.hpp>

namespace supportsim::scenarios {

namespace {

using nlohmann::ordered_json;

ordered_json distribution_json(const sim::DistributionSpec &spec) {
  ordered_json j;
  j["type"] = spec.type;
  for (const auto &[name, value] : spec.parameters)
    j[name] = value;
  if (spec.type == "empirical") j["values"] = spec.values;
  if (spec.type == "mixture") {
    j["components"] = ordered_json::array();
    for (const auto &[weight, part] : spec.components)
      j["components"].push_back({{"weight", weight}, {"distribution", distribution_json(part)}});
  }
  return j;
}

ordered_json per_priority(const models::PerPriority<double> &values) {
  ordered_json j;
  for (std::size_t i = 0; i < models::priority_count; ++i)
    j[std::string(models::priority_names[i])] = values[i];
  return j;
}

} // namespace

std::string dump_scenario(const Scenario &s) {
  ordered_json j;
  j["name"] = s.name;
  if (!s.description.empty()) j["description"] = s.description;
  j["start"] = date::format(
      "%FT%TZ", date::floor<std::chrono::seconds>(
                    date::sys_time<std::chrono::microseconds>(s.start.time_since_epoch())));
  j["seed"] = s.seed;
  j["replications"] = s.replications;
  j["horizon_days"] = (s.organisation.horizon - s.warmup).to_hours() / 24;
  j["warmup_days"] = s.warmup.to_hours() / 24;
  models::PerPriority<double> minutes{};
  for (std::size_t i = 0; i < models::priority_count; ++i)
    minutes[i] = s.sla.first_response[i].to_minutes();
  j["sla"] = {{"first_response_minutes", per_priority(minutes)},
              {"targets", per_priority(s.sla.attainment_target)}};
  j["queues"] = ordered_json::array();
  for (const models::QueueConfig &q : s.organisation.queues) {
    ordered_json jq;
    jq["name"] = q.name;
    jq["agents"] = q.agents;
    jq["arrivals_per_hour"] = q.arrivals_per_hour;
    jq["priority_mix"] = per_priority(q.priority_mix);
    jq["handle_minutes"] = distribution_json(q.handle_minutes.spec());
    if (q.patience_minutes) jq["patience_minutes"] = distribution_json(q.patience_minutes->spec());
    j["queues"].push_back(std::move(jq));
  }
  return j.dump(2) + "\n";
}

} // namespace supportsim::scenarios
