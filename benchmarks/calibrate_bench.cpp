// `supportsim calibrate`'s estimators at the scale: 1,000,000 handle times fitted by
// every family (sort, MLE, AIC, KS), the sort and exponential alone (the cost every family
// shares), 1,000,000 censored waits (Kaplan-Meier, exponential and censored Weibull MLE), and a
// whole calibration of 1,000,000 cases.
#include "analysis/calibrate/calibration.hpp"
#include "analysis/calibrate/fit_distribution.hpp"
#include "analysis/calibrate/patience.hpp"

#include <benchmark/benchmark.h>
#include <vector>

namespace {

using namespace supportsim;

constexpr std::size_t million = 1'000'000;

const std::vector<double> &handle_times() {
  static const std::vector<double> sample = [] {
    sim::SmallStream stream(1);
    const sim::Distribution d = sim::Distribution::lognormal(8.0, 0.9);
    std::vector<double> out(million);
    for (double &x : out)
      x = d.sample(stream);
    return out;
  }();
  return sample;
}

/// Weibull(0.7, 4) patience against exponential(1.2) waits for an agent: 70 % censored.
const std::vector<analysis::QueuedWait> &queued_waits() {
  static const std::vector<analysis::QueuedWait> sample = [] {
    sim::SmallStream stream(2);
    const sim::Distribution patience = sim::Distribution::weibull(0.7, 4.0);
    const sim::Distribution answer = sim::Distribution::exponential(1.2);
    std::vector<analysis::QueuedWait> out(million);
    for (auto &w : out) {
      const double p = patience.sample(stream), s = answer.sample(stream);
      w = {std::min(p, s), p < s};
    }
    return out;
  }();
  return sample;
}

void BM_FitHandleTimesMillion(benchmark::State &state) {
  for (auto _ : state) {
    const auto fit = analysis::fit_handle_times(handle_times());
    benchmark::DoNotOptimize(fit.mean);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(million) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_FitPatienceMillion(benchmark::State &state) {
  for (auto _ : state) {
    const auto fit = analysis::fit_patience(queued_waits());
    benchmark::DoNotOptimize(fit.exponential_mean);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(million) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

/// The sort and summary alone: fitting the exponential (the fit of fewer than 20 observations
/// takes this path), to separate the shared cost from each family's.
void BM_FitHandleTimesMillionExponentialOnly(benchmark::State &state) {
  for (auto _ : state) {
    const auto fit = analysis::fit_handle_times(handle_times(), {.min_sample = million + 1});
    benchmark::DoNotOptimize(fit.mean);
  }
}

/// A history of 1,000,000 cases over the three channels (phone and chat queued, with waits),
/// every column given: what `supportsim calibrate` estimates from after reading the file.
const std::vector<analysis::CalibrationCase> &history() {
  static const std::vector<analysis::CalibrationCase> cases = [] {
    sim::SmallStream stream(3);
    const sim::Distribution work = sim::Distribution::lognormal(8.0, 0.9);
    const sim::Distribution patience = sim::Distribution::weibull(0.7, 4.0);
    const sim::Distribution answer = sim::Distribution::exponential(1.2);
    std::vector<analysis::CalibrationCase> out(million);
    for (std::size_t i = 0; i < million; ++i) {
      analysis::CalibrationCase &c = out[i];
      c.channel = static_cast<models::Channel>(i % 3);
      c.priority = static_cast<models::Priority>(i % 4);
      c.local_hour = static_cast<std::uint8_t>(i % 24);
      if (c.channel != models::Channel::email) {
        const double p = patience.sample(stream), a = answer.sample(stream);
        c.wait_minutes = std::min(p, a);
        c.abandoned = p < a;
      }
      c.answered = !c.abandoned;
      if (c.answered) {
        c.handle_minutes = work.sample(stream);
        c.touches = static_cast<std::uint16_t>(1 + i % 3);
        c.escalated = i % 10 == 0;
        c.reopened = i % 20 == 0;
      }
    }
    return out;
  }();
  return cases;
}

/// Everything: per channel the handle-time fit, patience, and both candidate splits (each
/// refitting the channel's data by cell), touches and rates.
void BM_CalibrateMillionCases(benchmark::State &state) {
  for (auto _ : state) {
    const auto calibration = analysis::calibrate(history());
    benchmark::DoNotOptimize(calibration.cases);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(million) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_CalibrateMillionCases)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FitHandleTimesMillion)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FitHandleTimesMillionExponentialOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FitPatienceMillion)->Unit(benchmark::kMillisecond)->UseRealTime();
