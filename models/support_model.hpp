#pragma once

#include "models/organisation.hpp"
#include "models/records.hpp"
#include "sim/calendar.hpp"
#include "sim/random.hpp"
#include "sim/ring_buffer.hpp"

#include <boost/random/discrete_distribution.hpp>
#include <vector>

namespace supportsim::models {

/// The support organisation as a discrete-event model: cases arrive at queues, wait in priority
/// order (P1 first, then first come, first served), are worked by the queue's agents, and are
/// resolved or abandoned. Every state change is emitted to a RecordSink.
///
/// One value owns one replication: its calendar, its random streams and its state. Running
/// replications in parallel means one SupportModel per thread.
///
///   SupportModel model(config, sim::RandomStreams(seed, replication), sink);
///   model.run();
class SupportModel {
public:
  SupportModel(const OrganisationConfig &config, const sim::RandomStreams &streams,
               RecordSink &sink);

  /// Runs from time zero to the horizon, then reports every open case. Call once.
  void run();

private:
  // Event kinds, with the phase each runs in (see sim::Phase).
  enum class EventKind : std::uint8_t {
    arrival,      ///< id: queue; phase arrive
    work_done,    ///< id: agent; phase release, so the agent is free for arrivals at that instant
    patience_end, ///< id: case slot; phase arrive
  };

  enum class CaseState : std::uint8_t { free, waiting, in_work, abandoned };
  struct Case {
    CaseNumber number;
    sim::SimTime arrived;
    sim::SimTime work_started;
    sim::Duration work;
    sim::EventHandle patience_timer;
    QueueIndex queue;
    Priority priority;
    CaseState state;
    std::uint32_t next_free;
  };
  struct Agent {
    QueueIndex queue;
    std::uint32_t case_slot;
  };
  struct Queue {
    const QueueConfig *config;
    sim::RandomStream arrivals; // inter-arrival times and each case's intrinsic attributes
    sim::Distribution interarrival_minutes;
    boost::random::discrete_distribution<std::uint8_t, double> priority_pick;
    PerPriority<sim::RingBuffer<std::uint32_t>> waiting; // case slots, oldest first
    std::vector<AgentIndex> idle;                        // a stack: the last freed works next
  };

  void handle(const sim::Event &e);
  void on_arrival(QueueIndex q);
  void on_work_done(AgentIndex a);
  void on_patience_end(std::uint32_t slot);
  void start_work(AgentIndex a, std::uint32_t slot);
  void schedule_next_arrival(QueueIndex q);
  std::uint32_t new_case_slot();
  void free_case_slot(std::uint32_t slot);
  void report_open_cases();

  RecordSink &sink_;
  sim::SimTime end_;
  sim::Calendar calendar_;
  std::vector<QueueInfo> queue_info_;
  std::vector<Queue> queues_;
  std::vector<Agent> agents_;
  std::vector<Case> cases_; // slots, reused once a case has left the model
  std::uint32_t free_case_ = no_case;
  CaseNumber next_case_number_ = 0;
  static constexpr std::uint32_t no_case = 0xffffffffu;
};

} // namespace supportsim::models
