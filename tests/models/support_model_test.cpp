// The model on its own: every case ends exactly once, priorities are served in order, the same
// seed gives the same trajectory, and the same seed gives the same cases whatever the staffing.
#include "models/support_model.hpp"
#include "scenarios/scenario.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <vector>

namespace {

using namespace supportsim;

enum class Fate { none, resolved, abandoned, open };

/// Follows every case through its records and checks the life cycle as it goes.
class LifecycleSink final : public models::RecordSink {
public:
  std::map<models::CaseNumber, Fate> fate;
  std::map<models::CaseNumber, bool> responded;
  std::uint64_t arrived = 0, resolved = 0, abandoned = 0, open = 0, problems = 0;
  std::uint64_t fingerprint = 1469598103934665603ull; // FNV-1a over (time, kind, case)
  std::vector<models::CaseArrived> arrivals;

  void mix(sim::SimTime t, int kind, models::CaseNumber n) {
    for (std::uint64_t v :
         {static_cast<std::uint64_t>(t.ticks()), static_cast<std::uint64_t>(kind), n}) {
      fingerprint ^= v;
      fingerprint *= 1099511628211ull;
    }
  }
  void end(models::CaseNumber n, Fate f) {
    auto it = fate.find(n);
    if (it == fate.end() || it->second != Fate::none)
      ++problems; // unknown, or ended twice
    else
      it->second = f;
  }
  void on(const models::CaseArrived &r) override {
    ++arrived;
    if (fate.count(r.number)) ++problems;
    fate[r.number] = Fate::none;
    arrivals.push_back(r);
    mix(r.time, 0, r.number);
  }
  void on(const models::FirstResponse &r) override {
    if (responded[r.number] || r.time < r.arrived) ++problems;
    responded[r.number] = true;
    mix(r.time, 1, r.number);
  }
  void on(const models::CaseResolved &r) override {
    ++resolved;
    if (!responded[r.number] || r.time < r.work_started) ++problems;
    end(r.number, Fate::resolved);
    mix(r.time, 2, r.number);
  }
  void on(const models::CaseAbandoned &r) override {
    ++abandoned;
    if (responded[r.number]) ++problems; // abandoned after being answered
    end(r.number, Fate::abandoned);
    mix(r.time, 3, r.number);
  }
  void on(const models::CaseOpenAtEnd &r) override {
    ++open;
    if (r.waiting() == responded[r.number]) ++problems;
    end(r.number, Fate::open);
    mix(r.time, 4, r.number);
  }
};

scenarios::Scenario scenario(std::uint32_t agents, double per_hour, const char *patience,
                             double days = 14) {
  return scenarios::parse_scenario(fmt::format(R"({{"name": "t", "horizon_days": {}, "queues": [
        {{"name": "Q", "agents": {}, "arrivals_per_hour": {},
          "priority_mix": {{"P1": 0.1, "P2": 0.2, "P3": 0.3, "P4": 0.4}},
          "handle_minutes": {{"type": "lognormal", "mean": 30, "cv": 1.2}} {}}}]}})",
                                               days, agents, per_hour, patience),
                                   "test");
}

LifecycleSink run(const scenarios::Scenario &s, std::uint64_t seed, std::uint32_t replication = 0) {
  LifecycleSink sink;
  models::SupportModel model(s.organisation, sim::RandomStreams(seed, replication), sink);
  model.run();
  return sink;
}

} // namespace

TEST_CASE("model: every case ends exactly once (conservation)", "[models]") {
  const char *with_patience = R"(, "patience_minutes": {"type": "exponential", "mean": 20})";
  auto [name, s] =
      GENERATE_COPY(std::make_pair("underloaded", scenario(10, 12, "")),
                    std::make_pair("overloaded with abandonment", scenario(5, 14, with_patience)),
                    std::make_pair("overloaded without abandonment", scenario(3, 8, "")));
  const std::uint64_t seed = GENERATE(1u, 2u, 3u);
  INFO(name << ", seed " << seed);
  const LifecycleSink sink = run(s, seed);
  CHECK(sink.arrived > 1000);
  CHECK(sink.problems == 0);
  CHECK(sink.arrived == sink.resolved + sink.abandoned + sink.open);
  for (const auto &[number, fate] : sink.fate)
    REQUIRE(fate != Fate::none);
}

TEST_CASE("model: the default scenario conserves cases in every replication", "[models]") {
  const scenarios::Scenario s = scenarios::default_scenario();
  for (std::uint32_t r = 0; r < 3; ++r) {
    const LifecycleSink sink = run(s, s.seed, r);
    CHECK(sink.problems == 0);
    CHECK(sink.abandoned > 0);
    CHECK(sink.arrived == sink.resolved + sink.abandoned + sink.open);
  }
}

TEST_CASE("model: same seed, same trajectory, and another for another seed or replication",
          "[models]") {
  const auto s =
      scenario(5, 9, R"(, "patience_minutes": {"type": "gamma", "mean": 30, "cv": 0.5})");
  const std::uint64_t a = run(s, 11).fingerprint;
  CHECK(run(s, 11).fingerprint == a);
  CHECK(run(s, 12).fingerprint != a);
  CHECK(run(s, 11, 1).fingerprint != a);
}

TEST_CASE("model: the same seed gives the same cases whatever the staffing (CRN)", "[models]") {
  const LifecycleSink few = run(scenario(4, 9, ""), 5);
  const LifecycleSink many = run(scenario(9, 9, ""), 5);
  REQUIRE(few.arrivals.size() == many.arrivals.size());
  for (std::size_t i = 0; i < few.arrivals.size(); ++i) {
    REQUIRE(few.arrivals[i].time == many.arrivals[i].time);
    REQUIRE(few.arrivals[i].priority == many.arrivals[i].priority);
  }
}

TEST_CASE("model: waiting cases are served by priority, then oldest first", "[models]") {
  // One agent, overloaded: record the order in which waiting cases are taken and check that no
  // case is taken while a more urgent one, or an older one of the same priority, was waiting.
  class OrderSink final : public models::RecordSink {
  public:
    std::map<models::CaseNumber, models::CaseArrived> waiting;
    std::uint64_t violations = 0, taken_from_queue = 0;
    void on(const models::CaseArrived &r) override { waiting.emplace(r.number, r); }
    void on(const models::FirstResponse &r) override {
      for (const auto &[n, w] : waiting) {
        if (n == r.number || w.time >= r.time) continue; // itself, or arrived at this instant
        if (w.priority < r.priority || (w.priority == r.priority && n < r.number)) ++violations;
      }
      if (r.time > r.arrived) ++taken_from_queue;
      waiting.erase(r.number);
    }
    void on(const models::CaseAbandoned &r) override { waiting.erase(r.number); }
  } sink;
  const auto s = scenario(1, 2.2, "", 5);
  models::SupportModel model(s.organisation, sim::RandomStreams(3, 0), sink);
  model.run();
  CHECK(sink.taken_from_queue > 50);
  CHECK(sink.violations == 0);
}
