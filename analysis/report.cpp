#include "analysis/report.hpp"

#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace supportsim::analysis {

namespace {

using nlohmann::ordered_json;

// Gathers one figure across replications and estimates it.
Estimate across(const ExperimentResult &r,
                const std::function<double(const ReplicationFigures &)> &pick) {
  std::vector<double> values;
  values.reserve(r.replications.size());
  for (const auto &rep : r.replications)
    values.push_back(pick(rep));
  return estimate(values);
}

const CaseFigures &cell(const ReplicationFigures &rep, std::size_t q, std::size_t p) {
  // p == priority_count selects the whole queue; q == queues.size() selects everything.
  if (q == rep.queues.size()) return rep.all;
  return p == models::priority_count ? rep.queues[q].all : rep.queues[q].by_priority[p];
}

std::string percent(const Estimate &e) {
  if (std::isnan(e.mean)) return "-";
  if (std::isnan(e.half_width)) return fmt::format("{:.1f}%", 100 * e.mean);
  return fmt::format("{:.1f}% ± {:.1f}", 100 * e.mean, 100 * e.half_width);
}

std::string duration(double minutes) {
  if (std::isnan(minutes)) return "-";
  if (minutes < 100) return fmt::format("{:.1f} min", minutes);
  if (minutes < 48 * 60) return fmt::format("{:.1f} h", minutes / 60);
  return fmt::format("{:.1f} d", minutes / (24 * 60));
}

std::string days(sim::Duration d) {
  return fmt::format("{:g}", d.to_hours() / 24);
}

ordered_json to_json(const Estimate &e) {
  ordered_json j;
  j["mean"] = std::isnan(e.mean) ? ordered_json(nullptr) : ordered_json(e.mean);
  j["ci95"] = std::isnan(e.half_width) ? ordered_json(nullptr) : ordered_json(e.half_width);
  j["n"] = e.n;
  return j;
}

ordered_json cell_json(const ExperimentResult &r, std::size_t q, std::size_t p) {
  auto get = [&](auto member) {
    return to_json(across(r, [&](const ReplicationFigures &rep) {
      return static_cast<double>(cell(rep, q, p).*member);
    }));
  };
  ordered_json j;
  j["offered"] = get(&CaseFigures::offered);
  j["answered"] = get(&CaseFigures::answered);
  j["abandoned"] = get(&CaseFigures::abandoned);
  j["open_at_end"] = get(&CaseFigures::open);
  j["sla_attainment"] = get(&CaseFigures::sla_attainment);
  j["abandonment"] = get(&CaseFigures::abandonment);
  j["mean_wait_minutes"] = get(&CaseFigures::mean_wait);
  j["asa_minutes"] = get(&CaseFigures::asa);
  j["p90_wait_minutes"] = get(&CaseFigures::p90_wait);
  return j;
}

} // namespace

std::string render_table(const ExperimentResult &r, const std::string &version) {
  const scenarios::Scenario &s = r.scenario;
  const std::size_t queue_count = r.replications.empty() ? 0 : r.replications[0].queues.size();
  std::string out;
  out += fmt::format("supportsim {} · scenario \"{}\" · {}\n", version, s.name, s.source);
  const sim::Clock clock(s.start);
  out += fmt::format("seed {} · {} replication{} · {} days warm-up, then {} days measured from {}\n"
                     "± is a 95% confidence interval over the replications\n\n",
                     s.seed, s.replications, s.replications == 1 ? "" : "s", days(s.warmup),
                     days(s.organisation.horizon - s.warmup),
                     clock.format_utc(sim::SimTime::zero() + s.warmup));
  std::size_t name_width = 8; // the queue column grows for long names
  for (std::size_t q = 0; q < queue_count; ++q)
    name_width = std::max(name_width, r.replications[0].queues[q].name.size());
  out += fmt::format("{:<{}} {:<4} {:>9}  {:>8} {:>5}  {:<20} {:>10} {:>10} {:>9}\n", "queue",
                     name_width, "pri", "cases/rep", "SLA", "goal", "SLA attained", "mean wait",
                     "p90 wait", "abandoned");
  for (std::size_t q = 0; q <= queue_count; ++q) {
    const bool everything = q == queue_count;
    const std::string name = everything ? "all" : r.replications[0].queues[q].name;
    for (std::size_t p = 0; p <= models::priority_count; ++p) {
      if (everything && p < models::priority_count) continue;
      const bool whole = p == models::priority_count;
      auto est = [&](auto member) {
        return across(r, [&](const ReplicationFigures &rep) {
          return static_cast<double>(cell(rep, q, p).*member);
        });
      };
      const Estimate sla = est(&CaseFigures::sla_attainment);
      std::string target, goal, verdict;
      if (!whole) {
        target = duration(s.sla.first_response[p].to_minutes());
        goal = fmt::format("{:g}%", 100 * s.sla.attainment_target[p]);
        if (!std::isnan(sla.mean)) verdict = sla.mean >= s.sla.attainment_target[p] ? "" : " MISS";
      }
      out += fmt::format(
          "{:<{}} {:<4} {:>9.0f}  {:>8} {:>5}  {:<20} {:>10} {:>10} {:>9}\n",
          p == 0 || whole ? name : "", name_width, whole ? "all" : models::priority_names[p],
          est(&CaseFigures::offered).mean, target, goal, percent(sla) + verdict,
          duration(est(&CaseFigures::mean_wait).mean), duration(est(&CaseFigures::p90_wait).mean),
          percent({est(&CaseFigures::abandonment).mean, NAN, 1}));
    }
    if (!everything) {
      const Estimate util =
          across(r, [&](const ReplicationFigures &rep) { return rep.queues[q].utilisation; });
      const std::uint32_t agents = r.replications[0].queues[q].agents;
      out += fmt::format("{:<{}} utilisation {} with {} agent{} on duty\n\n", "", name_width,
                         percent(util), agents, agents == 1 ? "" : "s");
    }
  }
  return out;
}

std::string render_json(const ExperimentResult &r, const std::string &version) {
  const scenarios::Scenario &s = r.scenario;
  ordered_json doc;
  doc["supportsim_version"] = version;
  doc["scenario"] = {{"name", s.name}, {"source", s.source}};
  doc["seed"] = s.seed;
  doc["replications"] = s.replications;
  const sim::Clock clock(s.start);
  doc["start_utc"] = clock.format_utc(sim::SimTime::zero());
  doc["measured_from_utc"] = clock.format_utc(sim::SimTime::zero() + s.warmup);
  doc["measured_to_utc"] = clock.format_utc(sim::SimTime::zero() + s.organisation.horizon);
  doc["warmup_days"] = s.warmup.to_hours() / 24;
  doc["measured_days"] = (s.organisation.horizon - s.warmup).to_hours() / 24;
  const std::size_t queue_count = r.replications.empty() ? 0 : r.replications[0].queues.size();
  ordered_json queues = ordered_json::array();
  for (std::size_t q = 0; q < queue_count; ++q) {
    ordered_json jq;
    jq["name"] = r.replications[0].queues[q].name;
    jq["agents"] = r.replications[0].queues[q].agents;
    jq["utilisation"] = to_json(
        across(r, [&](const ReplicationFigures &rep) { return rep.queues[q].utilisation; }));
    ordered_json priorities = ordered_json::array();
    for (std::size_t p = 0; p < models::priority_count; ++p) {
      ordered_json jp;
      jp["priority"] = models::priority_names[p];
      jp["sla_target_minutes"] = s.sla.first_response[p].to_minutes();
      jp["sla_attainment_goal"] = s.sla.attainment_target[p];
      jp.update(cell_json(r, q, p));
      priorities.push_back(std::move(jp));
    }
    jq["priorities"] = std::move(priorities);
    jq["all"] = cell_json(r, q, models::priority_count);
    queues.push_back(std::move(jq));
  }
  doc["queues"] = std::move(queues);
  doc["all"] = cell_json(r, queue_count, models::priority_count);
  return doc.dump(2) + "\n";
}

} // namespace supportsim::analysis
