#pragma once

#include "models/priority.hpp"
#include "sim/time.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace supportsim::models {

// Typed records the model emits as things happen. The model never computes a metric: sinks in
// analysis/ turn these into SLA attainment, waits, utilisation and so on. All times are
// simulation instants (microsecond ticks since the run's start).

using CaseNumber = std::uint64_t; ///< unique within a run, numbered in order of arrival
using QueueIndex = std::uint16_t; ///< index into OrganisationConfig::queues
using AgentIndex = std::uint32_t; ///< index over all agents of the run

struct QueueInfo {
  std::string name;
  std::uint32_t agents;
};

/// Before the first event: the queues and their staffing, and the run's end.
struct RunStarted {
  std::span<const QueueInfo> queues;
  sim::SimTime end;
};

/// A case has arrived and joined its queue (or gone straight to a free agent).
struct CaseArrived {
  sim::SimTime time;
  CaseNumber number;
  QueueIndex queue;
  Priority priority;
};

/// An agent took the case: the first response, which stops the SLA clock.
struct FirstResponse {
  sim::SimTime time;
  CaseNumber number;
  QueueIndex queue;
  Priority priority;
  sim::SimTime arrived;
  AgentIndex agent;
};

/// An agent finished working the case, which resolves it (one touch per case for now).
struct CaseResolved {
  sim::SimTime time;
  CaseNumber number;
  QueueIndex queue;
  Priority priority;
  sim::SimTime arrived;
  sim::SimTime work_started;
  AgentIndex agent;
};

/// A customer on a synchronous channel gave up waiting before any agent took the case.
struct CaseAbandoned {
  sim::SimTime time;
  CaseNumber number;
  QueueIndex queue;
  Priority priority;
  sim::SimTime arrived;
};

/// At the end of the run, one record per case still open: waiting, or being worked since
/// `work_started` (== SimTime::max() when still waiting).
struct CaseOpenAtEnd {
  sim::SimTime time;
  CaseNumber number;
  QueueIndex queue;
  Priority priority;
  sim::SimTime arrived;
  sim::SimTime work_started;
  AgentIndex agent;
  bool waiting() const { return work_started == sim::SimTime::max(); }
};

/// After the last event.
struct RunEnded {
  sim::SimTime time;
};

/// Where the model sends its records. analysis/ implements it; every handler defaults to
/// ignoring the record, so a sink overrides only what it uses.
///
/// One virtual call per record: benchmarks/model_bench.cpp measures the whole path at several
/// million cases a second, so the indirection is not worth templating the model over.
class RecordSink {
public:
  virtual ~RecordSink() = default;
  virtual void on(const RunStarted &) {}
  virtual void on(const CaseArrived &) {}
  virtual void on(const FirstResponse &) {}
  virtual void on(const CaseResolved &) {}
  virtual void on(const CaseAbandoned &) {}
  virtual void on(const CaseOpenAtEnd &) {}
  virtual void on(const RunEnded &) {}
};

} // namespace supportsim::models
