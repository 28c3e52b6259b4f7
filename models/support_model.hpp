#pragma once

#include "models/case/actual_work.hpp"
#include "models/case/case_store.hpp"
#include "models/demand.hpp"
#include "models/events.hpp"
#include "models/open_case_limit.hpp"
#include "models/organisation.hpp"
#include "models/records.hpp"
#include "models/replay.hpp"
#include "models/routing/router.hpp"
#include "models/routing/rules.hpp"
#include "models/routing/waiting_cases.hpp"
#include "models/triggers.hpp"
#include "models/workforce/agent_pool.hpp"
#include "models/workforce/headcount.hpp"
#include "models/workforce/roster.hpp"
#include "models/workforce/staffed_roster.hpp"
#include "sim/calendar.hpp"
#include "sim/clock.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <vector>

namespace supportsim::models {

/// The support organisation as a discrete-event model. Cases arrive from the demand model, wait
/// in queues per work type, priority, language and region, and are worked touch by touch by
/// agents on shifts in their sites' local time, with skills, tiers and experience; they are
/// escalated, wait on customers and engineering, are resolved, reopened or abandoned.
/// Escalation triggers watch the queues and move agents. Every state change goes to a
/// RecordSink; the model computes no metric. docs/model.md states the rules.
///
/// The model owns its parts (docs/ARCHITECTURE.md has the map): the cases (case/), the waiting
/// cases and the routing rules (routing/), the agents and their shifts (workforce/), and the
/// triggers. It dispatches each calendar event to the handler below, which moves the parts.
///
/// One value owns one replication: its calendar, its random streams and its state. Running
/// replications in parallel means one SupportModel per thread.
///
///   SupportModel model(config, sim::RandomStreams(seed, replication), sink);
///   model.run();
class SupportModel {
public:
  /// With `replay`, the cases are read from it (a replayed export) instead of synthesised; the
  /// attributes it lacks, and each case's seed unless it gives one, are drawn from the streams.
  SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
               RecordSink &sink, CaseReplay *replay = nullptr);
  SupportModel(const SupportModel &) = delete;
  SupportModel &operator=(const SupportModel &) = delete;

  /// Runs from time zero to the horizon, then reports every open case. Call once. Throws
  /// OpenCaseLimit when more than config.max_open_cases cases would be open at once.
  void run();

private:
  void handle(const sim::Event &e);
  /// Puts an event on the calendar if it falls before the end of the run.
  sim::EventHandle schedule_before_end(sim::SimTime at, sim::Phase phase, EventKind kind,
                                       std::uint32_t id);

  // Cases: arrival, touches, waits (case/), offered or queued (routing/).
  void on_arrival(std::uint32_t source);
  void on_replayed_arrival();
  void schedule_next_replayed();
  /// A new case arrives now: numbered, its own draws made, offered or queued. `actual`: the
  /// replayed row whose actual timings it takes (a backtest with actual service).
  void admit(const Demand::NewCase &n, const ReplayedCase *actual = nullptr);
  void on_touch_done(std::uint32_t slot);
  void on_patience_end(std::uint32_t slot);
  void on_overflow(std::uint32_t slot);
  void on_case_ready(std::uint32_t slot);
  /// To the best free agent, or (the first time) into its queue with its overflow timer.
  void offer(std::uint32_t slot);
  void start_touch(AgentIndex a, std::uint32_t slot);
  /// The case's first touch starts: the first response (the SLA clock stops).
  void note_first_response(Case &c, AgentIndex a);
  void report_open_cases();
  /// Throws OpenCaseLimit: the run holds config_.max_open_cases cases.
  [[noreturn]] void stop_overloaded() const;

  // Agents: shifts, pauses, hires and leavers (workforce/); looking for work (routing/).
  void on_shift_start(AgentIndex a);
  void on_shift_end(AgentIndex a);
  void on_pause(AgentIndex a, bool starts, bool unpaid);
  void on_hire(std::uint32_t h);
  void on_leave(AgentIndex a);
  void schedule_next_shift(AgentIndex a, sim::SimTime from);
  /// The next shift from `from`: of the staffing plan when there is one, else of the roster.
  Shift next_shift(AgentIndex a, sim::SimTime from) const;
  /// Breaks, absence and off-queue draws of a shift of the roster (not of a staffing plan).
  void plan_rostered_shift(AgentIndex a, const Shift &s);
  void schedule_leave(AgentIndex a);
  /// The agent takes the best waiting cases while able to take more.
  void find_work(AgentIndex a);
  void report_state(AgentIndex a) { agents_.report_state(a, calendar_.now(), sink_); }

  void on_trigger_check(std::uint32_t t);

  const OrganisationConfig &config_;
  RecordSink &sink_;
  sim::SimTime end_;
  sim::Clock clock_;
  sim::Calendar calendar_;
  Demand demand_;
  CaseReplay *replay_; // null: synthesised demand
  ReplayedCase next_replayed_;
  std::uint64_t replay_key_ = 0, replayed_ = 0; // seeds of replayed cases without one

  CaseStore cases_;
  RoutingRules rules_;
  WaitingCases waiting_;
  AgentPool agents_;
  Roster roster_;
  StaffedRoster staffed_; // a staffing plan's agents and periods, when there is one
  Router router_;
  Triggers triggers_;
  std::vector<AgentInfo> starting_agents_;
  std::vector<Hire> hires_;
  std::vector<ActualWork> actual_work_; // per case slot, with actual service only
};

} // namespace supportsim::models
