// Synthesised demand on its own: the embedded default's demand scaled to 1.5 million cases a
// month (100x), one simulated quarter, every case's arrival time, attributes and seed drawn —
// what `supportsim synth` does before writing, and what the model asks for per arrival.
#include "models/demand.hpp"
#include "scenarios/scenario.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace supportsim;

void BM_SynthesiseDemand(benchmark::State &state) {
  scenarios::Scenario s = scenarios::default_scenario();
  s.organisation.demand.cases_per_month *= 100;
  const sim::Clock clock(s.organisation.start);
  const sim::SimTime end = sim::SimTime::zero() + s.organisation.horizon;
  std::uint64_t cases = 0;
  for (auto _ : state) {
    models::Demand demand(s.organisation, clock, sim::RandomStreams(1, 0), end);
    std::uint64_t seeds = 0;
    demand.for_each_arrival(end, [&](sim::SimTime, const models::Demand::NewCase &c) {
      ++cases;
      seeds ^= c.seed;
    });
    benchmark::DoNotOptimize(seeds);
  }
  state.counters["cases/s"] =
      benchmark::Counter(static_cast<double>(cases), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_SynthesiseDemand)->Unit(benchmark::kMillisecond)->UseRealTime();
