// Replaying cases instead of synthesising them: the synthesised stream replayed with its seeds
// gives the very same run; missing attributes are drawn from the scenario's mixes,
// deterministically; cases outside the run's window are left out.
#include "models/demand.hpp"
#include "models/support_model.hpp"
#include "tests/support/organisations.hpp"
#include "tests/support/vector_replay.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace {

using namespace supportsim;

using testing::synthesised;
using testing::VectorReplay;

/// Everything the run did, as a list of comparable facts.
class Log final : public models::RecordSink {
public:
  std::vector<std::tuple<std::int64_t, int, std::uint64_t, std::uint64_t>> events;
  void on(const models::CaseArrived &r) override {
    events.emplace_back(r.time.ticks(), 0, r.info.number,
                        (std::uint64_t{r.info.region} << 32) | (r.info.product << 16) |
                            (r.info.language << 8) | models::index_of(r.info.priority));
  }
  void on(const models::TouchStarted &r) override {
    events.emplace_back(r.time.ticks(), 1, r.info.number, r.agent);
  }
  void on(const models::TouchCompleted &r) override {
    events.emplace_back(r.time.ticks(), 2, r.info.number, static_cast<int>(r.outcome));
  }
  void on(const models::CaseAbandoned &r) override {
    events.emplace_back(r.time.ticks(), 3, r.info.number, 0);
  }
};

} // namespace

TEST_CASE("replay: the synthesised stream replayed with its seeds gives the very same run",
          "[models][replay]") {
  const models::OrganisationConfig o = testing::rich(14);
  Log synthesised_run, replayed_run;
  models::SupportModel(o, sim::RandomStreams(4, 0), synthesised_run).run();
  VectorReplay replay(synthesised(o, 4, 0));
  models::SupportModel(o, sim::RandomStreams(4, 0), replayed_run, &replay).run();
  REQUIRE(synthesised_run.events.size() > 5000);
  CHECK(replayed_run.events == synthesised_run.events);
}

TEST_CASE("replay: attributes the file lacks are drawn from the scenario, deterministically",
          "[models][replay]") {
  const models::OrganisationConfig o = testing::rich(14);
  // Only creation times: every attribute is drawn.
  std::vector<models::ReplayedCase> times = synthesised(o, 4, 0);
  for (auto &row : times) {
    const sim::UtcTime created = row.created;
    row = models::ReplayedCase{};
    row.created = created;
  }
  auto run = [&](std::uint32_t rep) {
    Log log;
    VectorReplay replay(times);
    models::SupportModel(o, sim::RandomStreams(4, rep), log, &replay).run();
    return log;
  };
  const Log a = run(0), b = run(0), c = run(1);
  CHECK(a.events == b.events);
  CHECK(a.events != c.events); // another replication draws other attributes
  // The drawn attributes follow the mixes: about 60 % of cases from the first region.
  double first_region = 0, arrivals = 0;
  for (const auto &[t, kind, number, attributes] : a.events)
    if (kind == 0) {
      ++arrivals;
      first_region += (attributes >> 32) == 0;
    }
  CHECK(arrivals == Approx(times.size()));
  CHECK(first_region / arrivals == Approx(0.6).margin(0.03));
}

TEST_CASE("replay: cases before the start or after the end of the run are left out",
          "[models][replay]") {
  const models::OrganisationConfig o = testing::mmc(2, 1, 30, 0, 7);
  const sim::Clock clock(o.start);
  std::vector<models::ReplayedCase> rows;
  for (int day = -3; day < 10; ++day) {
    models::ReplayedCase row;
    row.created = clock.to_utc(sim::SimTime::zero() + sim::Duration::hours(24 * day + 12));
    rows.push_back(row);
  }
  Log log;
  VectorReplay replay(rows);
  models::SupportModel(o, sim::RandomStreams(1, 0), log, &replay).run();
  std::size_t arrivals = 0;
  for (const auto &e : log.events)
    arrivals += std::get<1>(e) == 0;
  CHECK(arrivals == 7); // days 0 to 6
}
