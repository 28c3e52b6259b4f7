// The simulator against queueing theory. On M/M/c the waiting-time distribution is Erlang C's;
// with exponential patience (M/M/c+M) abandonment and waits are Erlang A's. Each figure is
// estimated over 30 independent replications; the interval must be narrow enough for the check
// to mean something, and the theoretical value must lie inside it.
//
// Which interval: the report's 95 % interval misses the true value one time in twenty by
// design, and the figures of one run move together (a long busy period raises every wait), so
// a fixed seed lands outside it now and then; choosing seeds until it passes would hide real
// bias. The assertion therefore uses the 99.9 % interval (t_{0.9995, 29} = 3.66 standard
// errors, 1.79 times the 95 % half-width), and a 1,000-replication run recorded in
// docs/performance.md shows the 95 % interval covering Erlang C as well.
#include "analysis/forecast/erlang.hpp"
#include "analysis/metrics/statistics.hpp"
#include "analysis/run/experiment.hpp"
#include "models/support_model.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/organisations.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <vector>

namespace {

using namespace supportsim;

/// Collects, per replication, what the formulas predict: P(W > t) for a few t, the share
/// served within t, abandonment, mean wait. Only cases arriving after the warm-up count.
class WaitSink final : public models::RecordSink {
public:
  WaitSink(sim::SimTime window_start, std::vector<double> thresholds)
      : window_start_(window_start), thresholds_(std::move(thresholds)),
        waits_over_(thresholds_.size(), 0), served_within_(thresholds_.size(), 0) {}

  void on(const models::FirstResponse &r) override {
    if (r.info.arrived < window_start_) return;
    add((r.time - r.info.arrived).to_minutes(), true);
  }
  void on(const models::CaseAbandoned &r) override {
    if (r.info.arrived < window_start_) return;
    ++abandoned_;
    add((r.time - r.info.arrived).to_minutes(), false);
  }
  void on(const models::CaseOpenAtEnd &r) override {
    if (r.info.arrived >= window_start_) ++open_;
  }

  double p_wait_exceeds(std::size_t k) const { return double(waits_over_[k]) / done(); }
  double p_served_within(std::size_t k) const { return double(served_within_[k]) / done(); }
  double p_abandon() const { return double(abandoned_) / done(); }
  double mean_wait() const { return wait_sum_ / done(); }
  std::uint64_t done() const { return count_; }

private:
  void add(double wait, bool served) {
    ++count_;
    wait_sum_ += wait;
    for (std::size_t k = 0; k < thresholds_.size(); ++k) {
      waits_over_[k] += wait > thresholds_[k];
      served_within_[k] += served && wait <= thresholds_[k];
    }
  }
  sim::SimTime window_start_;
  std::vector<double> thresholds_;
  std::vector<std::uint64_t> waits_over_, served_within_;
  std::uint64_t abandoned_ = 0, open_ = 0, count_ = 0;
  double wait_sum_ = 0;
};

struct Mmc {
  int servers;
  double per_hour;
  double mean_service_minutes;
  double mean_patience_minutes; // 0: nobody abandons
};

/// The M/M/c organisation in a scenario: `days` measured after `warmup_days`.
scenarios::Scenario mmc_scenario(const Mmc &m, double days, double warmup_days) {
  scenarios::Scenario s;
  s.name = "mmc";
  s.source = "mmc";
  s.warmup = sim::Duration::from_minutes(warmup_days * 24 * 60);
  s.organisation = testing::mmc(m.servers, m.per_hour, m.mean_service_minutes,
                                m.mean_patience_minutes, days + warmup_days);
  return s;
}

std::vector<WaitSink> replicate(const scenarios::Scenario &s, const std::vector<double> &t,
                                std::uint32_t replications) {
  std::vector<WaitSink> out;
  for (std::uint32_t r = 0; r < replications; ++r) {
    out.emplace_back(sim::SimTime::zero() + s.warmup, t);
    models::SupportModel model(s.organisation, sim::RandomStreams(2026, r), out.back());
    model.run();
  }
  return out;
}

template <class F> analysis::Estimate over(const std::vector<WaitSink> &reps, F &&figure) {
  std::vector<double> values;
  for (const WaitSink &w : reps)
    values.push_back(figure(w));
  return analysis::estimate(values);
}

void check_inside(const char *what, const analysis::Estimate &e, double theory, double max_half) {
  INFO(what << ": simulated " << e.mean << " ± " << e.half_width << " (95 %), theory " << theory);
  REQUIRE(e.n >= 20);
  CHECK(e.half_width < max_half); // narrow enough to mean something
  // Widen the 95 % half-width to the 99.9 % one: same standard error, another t quantile.
  boost::math::students_t t(e.n - 1.0);
  const double widen = boost::math::quantile(t, 0.9995) / boost::math::quantile(t, 0.975);
  CHECK(std::abs(e.mean - theory) <= widen * e.half_width);
}

} // namespace

TEST_CASE("queueing theory: M/M/c reproduces Erlang C (c = 20, load 0.9)", "[analysis][theory]") {
  // 20 agents, 10-minute mean service, 108 arrivals an hour: a = 18 Erlangs, rho = 0.9.
  const Mmc m{20, 108, 10, 0};
  const std::vector<double> t{0.0, 1.0, 3.0, 8.0};
  const auto reps = replicate(mmc_scenario(m, 20, 1), t, 30);
  const analysis::ErlangC erlang{m.per_hour / 60, m.mean_service_minutes, m.servers};
  REQUIRE(erlang.p_wait() == Approx(0.5).margin(0.1)); // about half wait at this load

  for (std::size_t k = 0; k < t.size(); ++k)
    check_inside(fmt::format("P(W > {} min)", t[k]).c_str(),
                 over(reps, [&](const WaitSink &w) { return w.p_wait_exceeds(k); }),
                 erlang.p_wait_exceeds(t[k]), 0.02);
  check_inside("mean wait (min)", over(reps, [](const WaitSink &w) { return w.mean_wait(); }),
               erlang.mean_wait(), 0.3);
}

TEST_CASE("queueing theory: M/M/c+M reproduces Erlang A (c = 20, load 1.1, patience 5 min)",
          "[analysis][theory]") {
  // Overloaded on purpose: without abandonment the queue would grow without bound; with it the
  // system is stable and Erlang A gives the answer.
  const Mmc m{20, 132, 10, 5};
  const std::vector<double> t{0.0, 0.5, 2.0, 5.0};
  const auto reps = replicate(mmc_scenario(m, 10, 1), t, 30);
  const analysis::ErlangA erlang{m.per_hour / 60, m.mean_service_minutes, m.servers,
                                 m.mean_patience_minutes};

  check_inside("P(abandon)", over(reps, [](const WaitSink &w) { return w.p_abandon(); }),
               erlang.p_abandon(), 0.01);
  for (std::size_t k = 0; k < t.size(); ++k) {
    check_inside(fmt::format("P(W > {} min)", t[k]).c_str(),
                 over(reps, [&](const WaitSink &w) { return w.p_wait_exceeds(k); }),
                 erlang.p_wait_exceeds(t[k]), 0.02);
    check_inside(fmt::format("P(served within {} min)", t[k]).c_str(),
                 over(reps, [&](const WaitSink &w) { return w.p_served_within(k); }),
                 erlang.p_served_within(t[k]), 0.02);
  }
  check_inside("mean wait (min)", over(reps, [](const WaitSink &w) { return w.mean_wait(); }),
               erlang.mean_wait(), 0.2);
}

TEST_CASE("queueing theory: the report's figures agree with Erlang C", "[analysis][theory]") {
  // Through the same path as `supportsim run`: model, MetricsSink, replications.
  const Mmc m{20, 108, 10, 0};
  scenarios::Scenario s = mmc_scenario(m, 20, 1);
  for (auto &segment : s.organisation.service_levels.first_response)
    segment[models::index_of(models::Priority::p4)] = sim::Duration::minutes(3);
  analysis::RunOptions options;
  options.replications = 40;
  options.seed = 99;
  const analysis::ExperimentResult result = analysis::run_experiment(s, options);
  const analysis::ErlangC erlang{m.per_hour / 60, m.mean_service_minutes, m.servers};

  auto across = [&](auto figure) {
    std::vector<double> values;
    for (const auto &rep : result.replications)
      values.push_back(figure(rep));
    return analysis::estimate(values);
  };
  check_inside("SLA attainment within 3 min", across([](const analysis::ReplicationFigures &r) {
                 return r.all.all.sla_attainment;
               }),
               erlang.service_level(3.0), 0.02);
  check_inside("mean wait",
               across([](const analysis::ReplicationFigures &r) { return r.all.all.mean_wait; }),
               erlang.mean_wait(), 0.3);
  check_inside("utilisation", across([](const analysis::ReplicationFigures &r) {
                 return r.regions[0].utilisation;
               }),
               erlang.utilisation(), 0.01);
  // The 90th percentile from the wait histogram (buckets under 1.6 % wide).
  check_inside("p90 wait",
               across([](const analysis::ReplicationFigures &r) { return r.all.all.p90_wait; }),
               erlang.wait_quantile(0.9), 0.6);
  CHECK(result.replications[0].all.all.abandoned == 0);
}

TEST_CASE("queueing theory: the 95 % intervals cover the true mean about 95 % of the time",
          "[analysis][theory]") {
  // 200 independent experiments of 10 replications each on M/M/c (c = 5, load 0.7): the
  // share of experiments whose 95 % interval for the mean wait holds Erlang C's exact value.
  // Binomial: 95 % of 200 is 190, with a standard deviation of 3.1; accept 180 to 199.
  const Mmc m{5, 21, 10, 0};
  const analysis::ErlangC erlang{m.per_hour / 60, m.mean_service_minutes, m.servers};
  int covered = 0;
  const int experiments = 200;
  for (int e = 0; e < experiments; ++e) {
    scenarios::Scenario s = mmc_scenario(m, 6, 1);
    analysis::RunOptions options;
    options.replications = 10;
    options.seed = 1000 + static_cast<std::uint64_t>(e);
    options.jobs = 1;
    const auto result = analysis::run_experiment(s, options);
    std::vector<double> waits;
    for (const auto &rep : result.replications)
      waits.push_back(rep.all.all.mean_wait);
    const analysis::Estimate est = analysis::estimate(waits);
    covered += std::abs(est.mean - erlang.mean_wait()) <= est.half_width;
  }
  INFO(covered << " of " << experiments << " intervals cover Erlang C's mean wait "
               << erlang.mean_wait());
  CHECK(covered >= 180);
  CHECK(covered <= 199);
}

TEST_CASE("queueing theory: every run's call-centre figures agree with Erlang A",
          "[analysis][theory][callcentre]") {
  // M/M/c+M (c = 20, load 1.1, exponential patience of 5 min) through the path of
  // `supportsim run`: model, MetricsSink's call-centre tallies, replications. The figures'
  // definitions put a case that waited under a second among the unqueued, so the theory is
  // taken at one second: P(wait = 0) = 1 - P(W > 1 s); P(abandon | queued) = P(Ab) / (P(W > 1 s)
  // + the queued who hang up within a second, P(W > 0) (1 - e^(-1 s / patience)), about 0.3 %
  // of the queued); SL(T) = P(served within T) over every arrival.
  const Mmc m{20, 132, 10, 5};
  scenarios::Scenario s = mmc_scenario(m, 7, 1);
  analysis::RunOptions options;
  options.replications = 30;
  options.seed = 2026;
  options.sl_seconds = {20, 60};
  const analysis::ExperimentResult result = analysis::run_experiment(s, options);
  const analysis::ErlangA erlang{m.per_hour / 60, m.mean_service_minutes, m.servers,
                                 m.mean_patience_minutes};
  const double one_second = 1.0 / 60;
  REQUIRE(erlang.p_wait() > 0.5); // most callers queue at this load

  const std::size_t chat = models::index_of(models::Channel::chat);
  auto across = [&](auto figure) {
    std::vector<double> values;
    for (const auto &rep : result.replications)
      values.push_back(figure(rep.regions[0].callcentre[chat].window));
    return analysis::estimate(values);
  };
  check_inside("P(wait = 0)", across([](const analysis::QueueTally &t) { return t.p_wait_zero(); }),
               1 - erlang.p_wait_exceeds(one_second), 0.02);
  check_inside("P(abandon | queued)",
               across([](const analysis::QueueTally &t) { return t.p_abandon_queued(); }),
               erlang.p_abandon() /
                   (erlang.p_wait_exceeds(one_second) +
                    erlang.p_wait() * (1 - std::exp(-one_second / m.mean_patience_minutes))),
               0.02);
  check_inside("SL 20 s", across([](const analysis::QueueTally &t) { return t.service_level(0); }),
               erlang.p_served_within(20.0 / 60), 0.02);
  check_inside("SL 60 s", across([](const analysis::QueueTally &t) { return t.service_level(1); }),
               erlang.p_served_within(1.0), 0.02);
  // The hours of local time add up to the window.
  const analysis::CallCentreFigures &first = result.replications[0].regions[0].callcentre[chat];
  double offered = 0;
  for (const analysis::QueueTally &h : first.intervals)
    offered += h.offered;
  CHECK(offered == first.window.offered);
  CHECK(first.window.offered > 20000);
}
