#pragma once

#include "models/organisation.hpp"
#include "models/records.hpp"
#include "models/replay.hpp"
#include "sim/clock.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace supportsim::models {

/// Synthesised demand: non-homogeneous Poisson arrivals per customer region, with a rate that
/// is constant within each UTC hour and follows the scenario's monthly volume, growth, hourly
/// and weekly profiles in the region's local time (daylight-saving time included), public
/// holidays and a gamma day-to-day multiplier; plus one extra source per incident and affected
/// region. Arrival times are exact for that piecewise-constant rate (inversion of the
/// cumulative rate), not one arrival per interval.
///
/// Each source draws from its own stream, two numbers per case (the gap to it, and the case's
/// seed); the case's attributes come from a small stream seeded by that seed. So the same seed
/// gives the same cases whatever the staffing.
class Demand {
public:
  Demand(const OrganisationConfig &config, const sim::Clock &clock,
         const sim::RandomStreams &streams, sim::SimTime end);

  std::size_t source_count() const { return sources_.size(); }
  /// The next arrival of source `s` after `now`, or SimTime::max() when none comes before the
  /// end. Call once per arrival, in order.
  sim::SimTime next_arrival(std::size_t s, sim::SimTime now);
  /// A new case's attributes (number and arrival time excepted) and its seed, drawn from
  /// source `s`'s stream.
  struct NewCase {
    CaseInfo info;
    std::uint64_t seed;
    std::uint32_t account; ///< premium with TAM accounts: index of the account, else ~0u
  };
  NewCase draw_case(std::size_t s);
  /// A replayed case's attributes: those the file gives, the others drawn from the scenario's
  /// mixes with a stream of the case's own (seeded by `seed`, which becomes the case's seed).
  NewCase complete(const ReplayedCase &row, std::uint64_t seed) const;

  /// Every case of the run, in the order the model would see them arrive: f(time, case). For
  /// `supportsim synth`. Uses up the streams: call on a fresh Demand, instead of the model.
  void for_each_arrival(sim::SimTime end,
                        const std::function<void(sim::SimTime, const NewCase &)> &f);

  /// The forecast of region `r`'s cases as the scenario states them (incidents included), but
  /// without the day-to-day multipliers, which no forecast can know: f(from, to, cases) for each
  /// piece of constant rate inside [from, to), source by source (the baseline, then incidents).
  void forecast(std::size_t region, sim::SimTime from, sim::SimTime to,
                const std::function<void(sim::SimTime, sim::SimTime, double)> &f) const;

  /// Expected cases of region `r` (baseline and incidents) between two instants: the integral
  /// of the rate, daily multipliers included. For forecasts and tests.
  double expected_cases(std::size_t region, sim::SimTime from, sim::SimTime to) const;

  /// A draw among a few categories by inverting the cumulative weights: one uniform number per
  /// draw, and a category of weight 0 is never drawn.
  class Pick {
  public:
    Pick() = default;
    template <class It> Pick(It first, It last);
    std::uint8_t operator()(sim::SmallStream &stream) const;

  private:
    std::vector<double> cumulative_; // normalised, the last is 1
  };

private:
  struct RateStep {
    sim::SimTime start;
    double per_minute;          // until the next step's start
    double forecast_per_minute; // the same without the day-to-day multiplier
  };

  struct Source {
    std::uint8_t region;
    bool incident;
    std::vector<RateStep> steps; // the last one has rate 0
    std::size_t at = 0;          // the step holding the last arrival
    sim::RandomStream stream;
    Pick priority, product, language;
  };

  std::vector<Source> sources_;
  /// Region r's baseline rate, one step per UTC hour of the run and a closing step of rate 0.
  static std::vector<RateStep> baseline_rates(const OrganisationConfig &config,
                                              const sim::Clock &clock,
                                              const sim::RandomStreams &streams, std::size_t r,
                                              std::size_t hours);
  /// One source per incident and affected region, on the baseline's hours in its window.
  void add_incident_sources(const OrganisationConfig &config, const sim::Clock &clock,
                            const sim::RandomStreams &streams,
                            const std::vector<std::vector<RateStep>> &baseline,
                            const std::vector<double> &priority_mix,
                            const std::vector<double> &product_mix);
  /// Calls f(step, from, to) for the part of each step of region r's sources inside [from, to).
  template <class F>
  void for_each_piece(std::size_t region, sim::SimTime from, sim::SimTime to, F &&f) const;
  Pick channel_, segment_, region_;
  std::uint32_t accounts_ = 0;
};

} // namespace supportsim::models
