#include "analysis/trace.hpp"

#include "analysis/output.hpp"

#include <fmt/format.h>

namespace supportsim::analysis {

namespace {
std::string minutes(sim::Duration d) {
  return fmt::format("{}", d.to_minutes());
}
} // namespace

void TraceSink::line(sim::SimTime t, models::CaseNumber n, const char *event, models::QueueIndex q,
                     models::Priority p, const std::string &agent, const std::string &wait) {
  out_ << fmt::format("{},{},{},{},{},{},{},{}\n", replication_, clock_.format_utc(t, true), n,
                      event, queue_names_[q], models::name_of(p), agent, wait);
}

void TraceSink::on(const models::RunStarted &r) {
  for (const models::QueueInfo &q : r.queues)
    queue_names_.push_back(csv_field(q.name)); // free text: quoted when it needs to be
  next_.on(r);
}

void TraceSink::on(const models::CaseArrived &r) {
  line(r.time, r.number, "arrived", r.queue, r.priority, "", "");
  next_.on(r);
}

void TraceSink::on(const models::FirstResponse &r) {
  line(r.time, r.number, "first_response", r.queue, r.priority, std::to_string(r.agent),
       minutes(r.time - r.arrived));
  next_.on(r);
}

void TraceSink::on(const models::CaseResolved &r) {
  line(r.time, r.number, "resolved", r.queue, r.priority, std::to_string(r.agent), "");
  next_.on(r);
}

void TraceSink::on(const models::CaseAbandoned &r) {
  line(r.time, r.number, "abandoned", r.queue, r.priority, "", minutes(r.time - r.arrived));
  next_.on(r);
}

void TraceSink::on(const models::CaseOpenAtEnd &r) {
  line(r.time, r.number, r.waiting() ? "open_waiting" : "open_in_work", r.queue, r.priority,
       r.waiting() ? std::string() : std::to_string(r.agent), "");
  next_.on(r);
}

} // namespace supportsim::analysis
