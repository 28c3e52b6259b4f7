#pragma once

#include "analysis/backtest/interval_grid.hpp"
#include "analysis/forecast/demand.hpp"
#include "analysis/metrics/queue_tally.hpp"
#include "analysis/metrics/sla_clock.hpp"
#include "analysis/metrics/wait_histogram.hpp"
#include "models/records.hpp"
#include "scenarios/scenario.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// The figures of one group of cases (a region and priority, a whole region, or everything) in
/// one replication. Exact definitions: docs/metrics.md. Rates are fractions (0.95, not 95);
/// times are minutes. A figure with no cases behind it is NaN.
struct CaseFigures {
  std::uint64_t offered = 0;   ///< cases that arrived in the measurement window
  std::uint64_t answered = 0;  ///< of those, first response given by the end
  std::uint64_t abandoned = 0; ///< of those, hung up before a first response
  std::uint64_t resolved = 0;  ///< of those, resolved by the end
  std::uint64_t open = 0;      ///< of those, still open at the end
  double sla_attainment = 0;   ///< first response within target / cases whose outcome is known
  double abandonment = 0;      ///< abandoned / offered
  double mean_wait = 0;        ///< mean time to first response (or abandonment), wall clock
  double asa = 0;              ///< average speed of answer: mean wait of answered cases
  double p90_wait = 0;         ///< 90th percentile of the wait (log-linear histogram)
  double touches = 0;          ///< mean touches per resolved case
  double mean_resolution = 0;  ///< resolved cases: mean hours from arrival to resolution
  double p90_resolution = 0;   ///< their 90th percentile, hours (log-linear histogram)
  double escalation_rate = 0;  ///< escalations (to a tier or engineering) / offered
  double reopen_rate = 0;      ///< reopens / offered
  double handoff_rate = 0;     ///< touches by an agent of another region than the last / offered
  double no_qualified_agent_rate = 0; ///< cases queued with no qualified agent on shift / offered
};

/// The case figures of one interval for one channel or one priority of a region's cases.
struct IntervalCaseFigures {
  double offered = 0;
  double answered = 0;
  double sla_attainment = 0; ///< NaN when no outcome is known
  double asa = 0;            ///< minutes; NaN when none answered
  double abandonment = 0;    ///< NaN when none offered
};

/// One interval of a region: an interval of RegionFigures::interval_minutes of the region's
/// local clock, a local calendar day, or a week (7 days of UTC from the start of the window:
/// DemandForecast's weeks); the first and last may be partial. Its cases are those that arrived
/// in it; its backlog is what was open when it ended; its agents' time, money and work are what
/// fell in it. Exact definitions: docs/metrics.md, "Intervals".
struct IntervalFigures {
  double offered = 0;        ///< the region's cases that arrived in the interval
  double answered = 0;       ///< of those, given a first response by the end of the run
  double sla_attainment = 0; ///< as CaseFigures::sla_attainment, over the interval's arrivals
  double asa = 0;            ///< minutes
  double abandonment = 0;
  double backlog = 0;           ///< the region's customers' cases open at the interval's end
  double backlog_age_hours = 0; ///< their mean age (hours since arrival) then; NaN when none
  double utilisation = 0;       ///< the region's agents: busy / available in the interval
  double available_hours = 0;   ///< the region's agents' hours available for cases
  /// Agent hours of touches on the region's cases that ended in the interval, whoever's
  /// agents did them; of which by agents of another region, and by the escalation tiers.
  double work_hours = 0;
  double work_hours_other_regions = 0;
  double work_hours_escalation_tiers = 0;
  double resolved = 0; ///< the region's counted cases (arrived in the window) resolved in it
  double cost = 0;     ///< the region's agents' paid cost in it, overtime at its premium
  /// Mean agents available: available_hours / the interval's hours inside the window.
  double agents_available = 0;
  /// The case figures per channel and per priority (the margins of the tidy files).
  models::PerChannel<IntervalCaseFigures> by_channel{};
  models::PerPriority<IntervalCaseFigures> by_priority{};
};

/// The interval lengths a run reports in (`run --interval`), minutes; 15 is the default.
inline constexpr std::array<int, 3> interval_lengths{15, 30, 60};

/// The service-level thresholds every run reports unless told otherwise (`run --sl-seconds`).
inline constexpr std::array<int, 2> default_sl_seconds{20, 60};

/// The synchronous channels (phone, chat: models::is_synchronous), the first of models::Channel:
/// the ones a call centre's figures are kept for.
inline constexpr std::size_t synchronous_channel_count = 2;

/// The figures a call centre is judged by (QueueTally) of one synchronous channel's cases:
/// over the window, and per interval of the region's local wall clock.
struct CallCentreFigures {
  QueueTally window;
  /// Per local interval of the window (RegionFigures::interval_starts); cases count in the
  /// interval they arrived in. Empty for the whole organisation, whose regions' clocks differ.
  std::vector<QueueTally> intervals;
};

/// A customer region's cases, and the agents of the region's sites; or, named "all", every
/// case and every agent.
struct RegionFigures {
  std::string name;
  std::uint32_t agents = 0; ///< headcount at the start
  models::PerPriority<CaseFigures> by_priority;
  CaseFigures all;
  double utilisation = 0;       ///< agent time working cases / agent time available for cases
  double paid_hours = 0;        ///< agent hours paid in the window
  double overtime_hours = 0;    ///< of which past the rostered shift end
  double idle_hours = 0;        ///< agent hours available for cases with none in hand
  double cost = 0;              ///< paid hours x the group's cost (overtime at its premium)
  double cost_per_resolved = 0; ///< cost / cases of the region resolved in the window
  std::uint32_t trigger_firings = 0;
  /// Every interval of the region's local clock, local calendar day and week of the window, in
  /// order (regions only). A day is the sum of its intervals; the weeks are DemandForecast's (7
  /// days of UTC from the window's start), so weeks[k].offered is compared with its forecast.
  std::vector<IntervalFigures> intervals, days, weeks;
  /// Cases of the region's customers that arrived in each local hour of the week
  /// (DemandForecast's bins).
  std::array<double, hours_per_week> hour_of_week_arrivals{};
  /// Per synchronous channel (phone, chat): the call-centre figures.
  std::array<CallCentreFigures, synchronous_channel_count> callcentre;
  /// The intervals of the region's local time that the window spans: their UTC start and their
  /// local label ("2027-01-04T09:15"); the first and last may be partial, and the night the
  /// clocks go back has two intervals with each label of the repeated hour.
  std::vector<sim::UtcTime> interval_starts;
  std::vector<std::string> interval_labels;
  /// The local calendar days: their UTC start and their local start ("2027-01-04T00:00"; the
  /// first day's is the window's start, "2027-01-10T19:00"). A day the clocks change is 23 or
  /// 25 hours long.
  std::vector<sim::UtcTime> day_starts;
  std::vector<std::string> day_labels;
  /// The weeks' UTC starts and their local starts.
  std::vector<sim::UtcTime> week_starts;
  std::vector<std::string> week_labels;
};

/// An agent group's time and money in the window.
struct GroupFigures {
  double utilisation = 0; ///< busy / available, as for regions
  double paid_hours = 0;
  double overtime_hours = 0;
  double idle_hours = 0;
  double cost = 0;
};

/// Everything one replication measured: per region, and for the whole organisation.
struct ReplicationFigures {
  std::vector<RegionFigures> regions;
  RegionFigures all;
  models::PerSegment<CaseFigures> by_segment; ///< every region's cases, per customer segment
  models::PerChannel<CaseFigures> by_channel; ///< every region's cases, per channel
  std::vector<GroupFigures> groups;           ///< per agent group, in scenario order
  std::vector<int> sl_seconds; ///< the service-level thresholds of every QueueTally, seconds
  int interval_minutes = 15;   ///< the length of RegionFigures::intervals: 15, 30 or 60
};

/// A RecordSink that turns one replication's records into ReplicationFigures with memory
/// independent of the number of cases: counters and wait histograms per group, one small
/// record per agent, no per-case storage.
///
/// Cases count when they arrive at or after the end of the warm-up; agent time counts from the
/// end of the warm-up to the end of the run.
class MetricsSink final : public models::RecordSink {
public:
  /// `sl_seconds`: the service-level thresholds the call-centre figures count (at most 8);
  /// `interval_minutes`: 15, 30 or 60, the intervals of the region's local clock.
  MetricsSink(const models::OrganisationConfig &organisation, sim::Duration warmup,
              std::span<const int> sl_seconds = default_sl_seconds, int interval_minutes = 15);

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
  void on(const models::AgentStateChanged &r) override;
  void on(const models::AgentHired &r) override;
  void on(const models::TriggerFired &r) override;
  void on(const models::RunEnded &r) override;

  /// The figures; call after the run has ended.
  ReplicationFigures figures() const;

private:
  struct Cell {
    std::uint64_t offered = 0, answered = 0, answered_in_target = 0, abandoned = 0;
    std::uint64_t resolved = 0, touches_of_resolved = 0;
    std::uint64_t open = 0, open_waiting_past_target = 0;
    std::uint64_t escalations = 0, reopens = 0, handoffs = 0, no_qualified_agent = 0;
    double wait_sum = 0, answered_wait_sum = 0; // minutes
    double resolution_sum = 0;                  // minutes
    WaitHistogram waits, resolutions;
  };
  struct AgentTrack {
    models::AgentInfo info;
    models::AgentState state = models::AgentState::off;
    bool paid = false, overtime = false;
    std::uint32_t in_hand = 0;
    sim::SimTime since; // the last change of state or of touches in hand
  };
  struct RegionTime {
    double available = 0, busy = 0, paid = 0, overtime = 0, cost = 0; // minutes; currency
    std::uint32_t firings = 0;
  };
  // Cells per region: one per priority then one for the whole region; then the same for the
  // whole organisation; then one per segment and one per channel.
  static constexpr std::size_t cells_per_region = models::priority_count + 1;
  std::size_t segment_cells_ = 0, channel_cells_ = 0; // where those start
  template <class F> void for_cells(const models::CaseInfo &c, F &&f);
  bool counts(const models::CaseInfo &c) const { return c.arrived >= window_start_; }
  double window_minutes(sim::SimTime from, sim::SimTime to) const;
  /// Adds the agent's time since its last change to the region's totals.
  void close(AgentTrack &a, sim::SimTime t);
  RegionFigures region_figures(std::size_t cells, const RegionTime &t) const;
  CaseFigures figures_of(const Cell &c) const;

  const models::OrganisationConfig &organisation_;
  SlaClock sla_clock_;
  sim::Clock clock_;
  double overtime_factor_ = 1.0;
  sim::SimTime window_start_;
  sim::SimTime end_;
  std::vector<Cell> cells_;
  std::vector<AgentTrack> agents_;
  std::vector<RegionTime> region_time_;
  std::vector<RegionTime> group_time_; // the same, per agent group
  /// Counters of one interval's cases (all, one channel or one priority).
  struct CaseCounts {
    double offered = 0, answered = 0, in_target = 0, abandoned = 0, waiting_past_target = 0;
    double answered_wait = 0; // minutes
  };
  /// Counters of one interval or week of a region, for IntervalFigures.
  struct IntervalCell {
    CaseCounts all;
    models::PerChannel<CaseCounts> by_channel{};
    models::PerPriority<CaseCounts> by_priority{};
    double backlog = 0, backlog_age = 0, available = 0, busy = 0; // minutes
    double work = 0, work_other_regions = 0, work_escalation_tiers = 0;
    double resolved = 0, cost = 0;
    void add(const IntervalCell &o);
  };
  /// The cells a counted case's arrival falls in: its local interval and its week, or none
  /// outside the window.
  struct CellsOf {
    IntervalCell *interval = nullptr, *week = nullptr;
  };
  CellsOf cells_of(std::size_t region, sim::SimTime t);
  /// Counts into the all, channel and priority counters of `cell`.
  template <class F> static void for_counts(IntervalCell &cell, const models::CaseInfo &c, F &&f);
  int interval_minutes_;
  std::optional<backtest::IntervalGrid> grid_; // per region: intervals of its local clock
  std::vector<std::vector<IntervalCell>> interval_cells_; // per region and local interval
  std::vector<std::vector<sim::SimTime>> interval_ends_;  // per region and local interval
  std::vector<std::vector<IntervalCell>> week_cells_;     // per region and week
  std::vector<std::size_t> intervals_recorded_; // per region: intervals whose backlog is taken
  std::size_t weeks_recorded_ = 0;
  std::vector<double> open_cases_;    // per region: open now, every case counted (warm-up too)
  std::vector<double> open_arrivals_; // per region: Σ arrival minutes of the open cases
  std::size_t interval_of(std::size_t region, sim::SimTime t) const;
  sim::SimTime week_end(std::size_t week) const;
  /// Takes the end-of-interval backlog of every interval and week that ends at or before t.
  void advance_to(sim::SimTime t);
  /// Adds an agent's time from `from` to `to` in its state to its region's intervals and weeks,
  /// split at their boundaries.
  void add_interval_time(const AgentTrack &a, sim::SimTime from, sim::SimTime to);
  /// One interval's figures from its counters; `hours` its length inside the window.
  static IntervalFigures interval_figures(const IntervalCell &c, double hours);
  std::vector<std::uint32_t> starting_headcount_;
  /// The call-centre figures: per region, synchronous channel and local interval of the window.
  std::vector<int> sl_seconds_;
  std::vector<std::array<std::vector<QueueTally>, synchronous_channel_count>> queue_cells_;
  /// The queue cell of a counted synchronous case, by its arrival; none otherwise.
  QueueTally *queue_cell(const models::CaseInfo &c);
  /// A region's intervals, days and weeks into `out`.
  void interval_figures_of(std::size_t region, RegionFigures &out) const;
  /// A region's call-centre figures into `out`, and added to the organisation's in `all`.
  void call_centre_figures(std::size_t region, RegionFigures &out, RegionFigures &all) const;
  std::vector<const date::time_zone *> zones_;                            // per region
  std::vector<std::array<double, hours_per_week>> hour_of_week_arrivals_; // per region
};

} // namespace supportsim::analysis
