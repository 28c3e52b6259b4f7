#pragma once

#include "models/records.hpp"
#include "sim/clock.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// The header line of a trace file.
inline constexpr const char *trace_header =
    "replication,time_utc,case,event,queue,priority,agent,wait_minutes\n";

/// Writes every case event of one replication as a CSV line (see docs/metrics.md, "Trace"),
/// then passes the record on to `next`. For audit and debugging: it formats text per event, so
/// it is off unless asked for (`supportsim run --trace FILE`).
class TraceSink final : public models::RecordSink {
public:
  TraceSink(models::RecordSink &next, std::ostream &out, sim::Clock clock,
            std::uint32_t replication)
      : next_(next), out_(out), clock_(clock), replication_(replication) {}

  void on(const models::RunStarted &r) override;
  void on(const models::CaseArrived &r) override;
  void on(const models::FirstResponse &r) override;
  void on(const models::CaseResolved &r) override;
  void on(const models::CaseAbandoned &r) override;
  void on(const models::CaseOpenAtEnd &r) override;
  void on(const models::RunEnded &r) override { next_.on(r); }

private:
  void line(sim::SimTime t, models::CaseNumber n, const char *event, models::QueueIndex q,
            models::Priority p, const std::string &agent, const std::string &wait);

  models::RecordSink &next_;
  std::ostream &out_;
  sim::Clock clock_;
  std::uint32_t replication_;
  std::vector<std::string> queue_names_;
};

} // namespace supportsim::analysis
