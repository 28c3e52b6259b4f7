#pragma once

#include "models/organisation.hpp"
#include "models/priority.hpp"
#include "sim/time.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace supportsim::models {

// Typed records the model emits as things happen. The model never computes a metric: sinks in
// analysis/ turn these into SLA attainment, waits, utilisation, cost and so on. All times are
// simulation instants (microsecond ticks since the run's start).

using CaseNumber = std::uint64_t; ///< unique within a run, numbered in order of arrival
using AgentIndex = std::uint32_t; ///< index over every agent of the run, hires included
inline constexpr AgentIndex no_agent = 0xffffffffu;

/// What a case is, fixed at its arrival: the attributes reports group by.
struct CaseInfo {
  CaseNumber number = 0;
  sim::SimTime arrived;
  std::uint8_t region = 0; ///< the customer's region (OrganisationConfig::regions)
  Priority priority = Priority::p4;
  Channel channel = Channel::email;
  Segment segment = Segment::business;
  std::uint8_t product = 0;  ///< OrganisationConfig::products
  std::uint8_t language = 0; ///< OrganisationConfig::languages
  bool incident = false;     ///< raised by an incident rather than the baseline demand
  /// Premium cases: the TAM account, an index over every group's accounts in group order
  /// (no_account otherwise).
  std::uint16_t account = 0xffff;
};
inline constexpr std::uint16_t no_account = 0xffff;

/// One agent as the run knows it.
struct AgentInfo {
  std::uint32_t group = 0;  ///< OrganisationConfig::agent_groups
  std::uint8_t region = 0;  ///< the region of the agent's site
  std::uint32_t number = 0; ///< within the group, 0-based; hires follow the starting headcount
};

/// Before the first event: the organisation, the agents present at the start, and the run's end.
struct RunStarted {
  const OrganisationConfig *organisation;
  std::span<const AgentInfo> agents;
  sim::SimTime end;
};

/// A case has arrived and joined a queue (or gone straight to a free agent).
struct CaseArrived {
  sim::SimTime time;
  CaseInfo info;
  WorkType queue; ///< the work type whose queue it joins
};

/// A new case joined a queue while no agent on shift could take it even after overflow: nobody
/// working has its skill, its language (or the fallback) or its tier. It waits.
struct NoQualifiedAgent {
  sim::SimTime time;
  CaseInfo info;
};

/// An agent began the first touch: the first response, which stops the SLA clock.
struct FirstResponse {
  sim::SimTime time;
  CaseInfo info;
  AgentIndex agent;
};

/// What a touch led to.
enum class TouchOutcome : std::uint8_t {
  follow_up,      ///< more work needed: the case waits on the customer, then comes back
  escalated,      ///< moved up to another tier's queue
  to_engineering, ///< waits on engineering, then comes back to the same tier
  resolved,       ///< the last touch: the case is resolved (see CaseResolved)
  solved_reopens, ///< solved for now; the customer will reopen it (see CaseReopened)
};
inline constexpr std::array<std::string_view, 5> touch_outcome_names{
    "follow_up", "escalated", "to_engineering", "resolved", "solved_reopens"};

/// An agent started working a touch of a case. `handoff` when the previous touch was by an agent
/// of another region (follow-the-sun).
struct TouchStarted {
  sim::SimTime time;
  CaseInfo info;
  AgentIndex agent;
  std::uint16_t touch; ///< 0 for the first touch
  WorkType queue;      ///< the work type whose queue the case was taken from
  bool handoff;
  bool live_chat; ///< one of up to chat_concurrency chats the agent holds at once
};

/// An agent finished a touch.
struct TouchCompleted {
  sim::SimTime time;
  CaseInfo info;
  AgentIndex agent;
  sim::SimTime started;
  TouchOutcome outcome;
  std::uint8_t to_tier; ///< escalated only: the tier it moved to
};

/// The case is resolved: its last touch is done and it will not come back.
struct CaseResolved {
  sim::SimTime time;
  CaseInfo info;
  AgentIndex agent;
  std::uint16_t touches;
};

/// A customer reopened a solved case; it joins the backlog for one more touch.
struct CaseReopened {
  sim::SimTime time;
  CaseInfo info;
};

/// A customer on a synchronous channel hung up before any agent answered.
struct CaseAbandoned {
  sim::SimTime time;
  CaseInfo info;
};

/// Where a case still open at the end of the run is.
enum class OpenState : std::uint8_t {
  awaiting_first_response,
  in_work,
  queued,           ///< waiting for an agent for a later touch
  waiting_customer, ///< between touches, or solved and about to be reopened
  waiting_engineering,
};
inline constexpr std::array<std::string_view, 5> open_state_names{
    "awaiting_first_response", "in_work", "queued", "waiting_customer", "waiting_engineering"};

/// At the end of the run, one record per case still open, in case-number order.
struct CaseOpenAtEnd {
  sim::SimTime time;
  CaseInfo info;
  OpenState state;
  AgentIndex agent;           ///< in_work only
  sim::SimTime touch_started; ///< in_work only
};

/// What an agent is doing with their paid time.
enum class AgentState : std::uint8_t {
  off,       ///< not on shift (or not yet hired, or gone)
  training,  ///< on shift as a new hire: paid, not taking cases
  available, ///< on shift, taking cases (idle or working)
  paused,    ///< on shift, off the queue: a break, a meeting (shrinkage)
  absent,    ///< a shift missed entirely (PTO, sickness): paid, not worked
};
inline constexpr std::array<std::string_view, 5> agent_state_names{"off", "training", "available",
                                                                   "paused", "absent"};

/// An agent's state changed. `paid` says whether the new state's time is paid (an unpaid break
/// is paused and unpaid). `overtime` marks time past the shift's scheduled end.
struct AgentStateChanged {
  sim::SimTime time;
  AgentIndex agent;
  AgentState state;
  bool paid;
  bool overtime;
};

/// A new agent joined (the hiring plan), or an agent left (attrition).
struct AgentHired {
  sim::SimTime time;
  AgentIndex agent;
  AgentInfo info;
};
struct AgentLeft {
  sim::SimTime time;
  AgentIndex agent;
};

/// An escalation trigger fired in `region` and applied its action to `agents` agents.
struct TriggerFired {
  sim::SimTime time;
  std::uint32_t trigger; ///< OrganisationConfig::triggers
  std::uint8_t region;
  double observed; ///< the watched value that crossed the threshold
  std::uint32_t agents;
};

/// After the last event.
struct RunEnded {
  sim::SimTime time;
};

/// Where the model sends its records. analysis/ implements it; every handler defaults to
/// ignoring the record, so a sink overrides only what it uses.
///
/// One virtual call per record: benchmarks/model_bench.cpp measures the whole path at millions
/// of cases a second, so the indirection is not worth templating the model over.
class RecordSink {
public:
  virtual ~RecordSink() = default;
  virtual void on(const RunStarted &) {}
  virtual void on(const CaseArrived &) {}
  virtual void on(const NoQualifiedAgent &) {}
  virtual void on(const FirstResponse &) {}
  virtual void on(const TouchStarted &) {}
  virtual void on(const TouchCompleted &) {}
  virtual void on(const CaseResolved &) {}
  virtual void on(const CaseReopened &) {}
  virtual void on(const CaseAbandoned &) {}
  virtual void on(const CaseOpenAtEnd &) {}
  virtual void on(const AgentStateChanged &) {}
  virtual void on(const AgentHired &) {}
  virtual void on(const AgentLeft &) {}
  virtual void on(const TriggerFired &) {}
  virtual void on(const RunEnded &) {}
};

} // namespace supportsim::models
