// The classic hold model (Vaucher & Duval 1975; Jones 1986): with n events pending, repeatedly
// pop the earliest and schedule one at now + Exp(1). It measures the pending-event set alone.
// Our Calendar runs beside a plain std::priority_queue of the same events so machine noise
// cancels in the ratio.
#include "sim/calendar.hpp"
#include "sim/random.hpp"

#include <benchmark/benchmark.h>
#include <boost/random/exponential_distribution.hpp>
#include <cstdint>
#include <queue>
#include <vector>

namespace {

using supportsim::sim::Calendar;
using supportsim::sim::Duration;
using supportsim::sim::Phase;
using supportsim::sim::RandomStreams;
using supportsim::sim::SimTime;

// Increments are drawn up front so that both variants pay only for the queue.
std::vector<Duration> draw_increments(std::size_t n) {
  auto stream = RandomStreams(7, 0).stream("hold");
  boost::random::exponential_distribution<double> exp1(1.0);
  std::vector<Duration> out(n);
  for (auto &d : out)
    d = Duration::from_minutes(exp1(stream.engine()));
  return out;
}

constexpr std::size_t increment_count = 1 << 20; // a power of two: index with a mask

void BM_HoldCalendar(benchmark::State &state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const auto increments = draw_increments(increment_count);
  Calendar cal;

  std::size_t i = 0;
  for (std::size_t k = 0; k < pending; ++k)
    cal.schedule(SimTime::zero() + increments[i++ & (increment_count - 1)], Phase::arrive, 0,
                 static_cast<std::uint32_t>(k));
  for (auto _ : state) {
    const auto e = cal.pop();
    cal.schedule(e.time + increments[i++ & (increment_count - 1)], Phase::arrive, e.kind, e.id);
  }
  state.SetItemsProcessed(state.iterations());
}

// The baseline: the same 32-byte event record and the same (time, phase, seq) order.
struct PlainEvent {
  std::int64_t time;
  std::uint8_t phase;
  std::uint64_t seq;
  std::uint8_t kind;
  std::uint32_t id;
};
struct Later {
  bool operator()(const PlainEvent &a, const PlainEvent &b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.phase != b.phase) return a.phase > b.phase;
    return a.seq > b.seq;
  }
};

void BM_HoldPriorityQueue(benchmark::State &state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const auto increments = draw_increments(increment_count);
  std::vector<PlainEvent> storage;
  storage.reserve(pending + 1);
  std::priority_queue<PlainEvent, std::vector<PlainEvent>, Later> pq(Later{}, std::move(storage));
  std::size_t i = 0;
  std::uint64_t seq = 0;
  for (std::size_t k = 0; k < pending; ++k)
    pq.push({increments[i++ & (increment_count - 1)].ticks(), 1, seq++, 0,
             static_cast<std::uint32_t>(k)});
  for (auto _ : state) {
    const PlainEvent e = pq.top();
    pq.pop();
    pq.push({e.time + increments[i++ & (increment_count - 1)].ticks(), 1, seq++, e.kind, e.id});
  }
  state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK(BM_HoldCalendar)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_HoldPriorityQueue)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
