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
    "replication,time_utc,case,event,queue,region,priority,channel,segment,product,language,"
    "agent,wait_minutes,detail\n";

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
  void on(const models::NoQualifiedAgent &r) override;
  void on(const models::FirstResponse &r) override;
  void on(const models::TouchStarted &r) override;
  void on(const models::TouchCompleted &r) override;
  void on(const models::CaseResolved &r) override;
  void on(const models::CaseReopened &r) override;
  void on(const models::CaseAbandoned &r) override;
  void on(const models::CaseOpenAtEnd &r) override;
  void on(const models::AgentStateChanged &r) override { next_.on(r); }
  void on(const models::AgentHired &r) override { next_.on(r); }
  void on(const models::AgentLeft &r) override { next_.on(r); }
  void on(const models::TriggerFired &r) override { next_.on(r); }
  void on(const models::RunEnded &r) override { next_.on(r); }

private:
  void line(sim::SimTime t, const models::CaseInfo &c, std::string_view event,
            std::string_view queue, models::AgentIndex agent, const std::string &wait,
            std::string_view detail);

  models::RecordSink &next_;
  std::ostream &out_;
  sim::Clock clock_;
  std::uint32_t replication_;
  std::vector<std::string> regions_, products_, languages_; // CSV-quoted where needed
};

} // namespace supportsim::analysis
