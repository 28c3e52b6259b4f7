// The same M/M/c as model_bench.cpp's (c = 50, load 0.95, 1,000,000 customers), written as the
// plainest fast simulation one could write by hand: a std::priority_queue of events, a FIFO of
// waiting customers, std::mt19937_64 and std::exponential_distribution, and the figures a
// call centre needs (waits, SL within 20 s). It is the yardstick for the engine: what
// `supportsim run` costs per customer beyond what the queue itself needs.
//
// BM_MMc_HandLoop times the hand loop alone; BM_MMc_SupportsimVsHandLoop runs both in each
// iteration, times each by the thread's CPU clock (so a busy machine disturbs both alike) and
// reports supportsim's speed as a fraction of the hand loop's (`speed_ratio`, target >= 0.6).
#include "analysis/run/experiment.hpp"
#include "mmc_bench.hpp"

#include <benchmark/benchmark.h>
#include <cstdint>
#include <ctime>
#include <deque>
#include <queue>
#include <random>
#include <vector>

namespace {

using namespace supportsim;

struct HandLoopFigures {
  std::uint64_t customers = 0, answered_in_target = 0;
  double wait_sum = 0; // minutes
};

HandLoopFigures hand_loop(std::uint64_t seed) {
  constexpr int agents = bench::mmc_agents;
  constexpr double arrivals_per_minute = bench::mmc_arrivals_per_hour / 60.0;
  constexpr double mean_handle = bench::mmc_mean_handle_minutes;
  constexpr double target = 20.0 / 60.0; // minutes
  const double horizon = bench::mmc_hours() * 60.0;

  struct Event {
    double at;
    bool arrival;
    bool operator>(const Event &o) const { return at > o.at; }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> calendar;
  std::deque<double> waiting; // arrival times of the queued customers, first come first served
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> interarrival(arrivals_per_minute);
  std::exponential_distribution<double> handle(1.0 / mean_handle);
  HandLoopFigures f;
  int free_agents = agents;
  auto answer = [&](double now, double arrived) {
    const double wait = now - arrived;
    f.wait_sum += wait;
    f.answered_in_target += wait <= target;
    calendar.push({now + handle(rng), false});
  };
  calendar.push({interarrival(rng), true});
  while (!calendar.empty()) {
    const Event e = calendar.top();
    calendar.pop();
    if (e.arrival) {
      if (e.at >= horizon) continue; // the last arrival: let the busy agents finish
      ++f.customers;
      calendar.push({e.at + interarrival(rng), true});
      if (free_agents > 0) {
        --free_agents;
        answer(e.at, e.at);
      } else {
        waiting.push_back(e.at);
      }
    } else if (!waiting.empty()) {
      answer(e.at, waiting.front());
      waiting.pop_front();
    } else {
      ++free_agents;
    }
  }
  return f;
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void BM_MMc_HandLoop(benchmark::State &state) {
  std::uint64_t customers = 0, seed = 1;
  for (auto _ : state) {
    const HandLoopFigures f = hand_loop(seed++);
    customers += f.customers;
    benchmark::DoNotOptimize(f.wait_sum);
  }
  state.counters["customers/s"] =
      benchmark::Counter(static_cast<double>(customers), benchmark::Counter::kIsRate);
}

void BM_MMc_SupportsimVsHandLoop(benchmark::State &state) {
  const scenarios::Scenario scenario = bench::mmc_scenario();
  double hand_cpu = 0, supportsim_cpu = 0;
  std::uint64_t hand_customers = 0, supportsim_customers = 0, seed = 1;
  for (auto _ : state) {
    double t0 = thread_cpu_seconds();
    const HandLoopFigures hand = hand_loop(seed++);
    double t1 = thread_cpu_seconds();
    const auto figures = analysis::run_replication(scenario, 1, 0);
    double t2 = thread_cpu_seconds();
    benchmark::DoNotOptimize(hand.wait_sum);
    benchmark::DoNotOptimize(figures.all.all.sla_attainment);
    hand_cpu += t1 - t0;
    supportsim_cpu += t2 - t1;
    hand_customers += hand.customers;
    supportsim_customers += figures.all.all.offered;
  }
  const double hand_speed = static_cast<double>(hand_customers) / hand_cpu;
  const double supportsim_speed = static_cast<double>(supportsim_customers) / supportsim_cpu;
  state.counters["hand_customers/s"] = hand_speed;
  state.counters["supportsim_customers/s"] = supportsim_speed;
  state.counters["speed_ratio"] = supportsim_speed / hand_speed;
}

} // namespace

BENCHMARK(BM_MMc_HandLoop)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MMc_SupportsimVsHandLoop)->Unit(benchmark::kMillisecond)->UseRealTime();
