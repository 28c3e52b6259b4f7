#include "analysis/run/trace.hpp"

#include "analysis/report/format.hpp"

#include <fmt/format.h>

namespace supportsim::analysis {

namespace {
std::string minutes(sim::Duration d) {
  return fmt::format("{}", d.to_minutes());
}
} // namespace

void TraceSink::line(sim::SimTime t, const models::CaseInfo &c, std::string_view event,
                     std::string_view queue, models::AgentIndex agent, const std::string &wait,
                     std::string_view detail) {
  out_ << fmt::format(
      "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", replication_, clock_.format_utc(t, true),
      c.number, event, queue, regions_[c.region], models::name_of(c.priority),
      models::channel_names[index_of(c.channel)], models::segment_names[index_of(c.segment)],
      products_[c.product], languages_[c.language],
      agent == models::no_agent ? std::string() : std::to_string(agent), wait, detail);
}

void TraceSink::on(const models::RunStarted &r) {
  // Names are free text: quoted when they need to be.
  for (const auto &x : r.organisation->regions)
    regions_.push_back(csv_field(x.name));
  for (const auto &x : r.organisation->products)
    products_.push_back(csv_field(x));
  for (const auto &x : r.organisation->languages)
    languages_.push_back(csv_field(x));
  if (products_.empty()) products_.push_back("");
  if (languages_.empty()) languages_.push_back("");
  next_.on(r);
}

void TraceSink::on(const models::CaseArrived &r) {
  line(r.time, r.info, "arrived", models::work_type_names[index_of(r.queue)], models::no_agent, "",
       r.info.incident ? "incident" : "");
  next_.on(r);
}

void TraceSink::on(const models::NoQualifiedAgent &r) {
  line(r.time, r.info, "no_qualified_agent", "", models::no_agent, "", "");
  next_.on(r);
}

void TraceSink::on(const models::FirstResponse &r) {
  line(r.time, r.info, "first_response", "", r.agent, minutes(r.time - r.info.arrived), "");
  next_.on(r);
}

void TraceSink::on(const models::TouchStarted &r) {
  line(r.time, r.info, "touch_started", models::work_type_names[index_of(r.queue)], r.agent, "",
       r.handoff ? (r.live_chat ? "handoff live_chat" : "handoff")
                 : (r.live_chat ? "live_chat" : ""));
  next_.on(r);
}

void TraceSink::on(const models::TouchCompleted &r) {
  line(r.time, r.info, "touch_completed", "", r.agent, "",
       models::touch_outcome_names[static_cast<std::size_t>(r.outcome)]);
  next_.on(r);
}

void TraceSink::on(const models::CaseResolved &r) {
  line(r.time, r.info, "resolved", "", r.agent, "", "");
  next_.on(r);
}

void TraceSink::on(const models::CaseReopened &r) {
  line(r.time, r.info, "reopened", "", models::no_agent, "", "");
  next_.on(r);
}

void TraceSink::on(const models::CaseAbandoned &r) {
  line(r.time, r.info, "abandoned", "", models::no_agent, minutes(r.time - r.info.arrived), "");
  next_.on(r);
}

void TraceSink::on(const models::CaseOpenAtEnd &r) {
  line(r.time, r.info, "open_at_end", "", r.agent, "",
       models::open_state_names[static_cast<std::size_t>(r.state)]);
  next_.on(r);
}

} // namespace supportsim::analysis
