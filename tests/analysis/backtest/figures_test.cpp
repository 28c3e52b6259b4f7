// The backtest's interval figures and scores, on cases small enough to count by hand.
#include "analysis/backtest/figures.hpp"
#include "analysis/backtest/interval_grid.hpp"
#include "analysis/backtest/score.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace supportsim;
using namespace supportsim::analysis::backtest;
using Catch::Detail::Approx;

namespace {

sim::UtcTime at(const char *text) {
  return sim::parse_utc(text);
}

CaseOutcome answered(const char *queued, double wait_seconds, float handle) {
  CaseOutcome c;
  c.queued = at(queued);
  c.ended = c.queued + std::chrono::microseconds(static_cast<std::int64_t>(wait_seconds * 1e6));
  c.answered = true;
  c.handle_minutes = handle;
  return c;
}

CaseOutcome abandoned(const char *queued, double wait_seconds) {
  CaseOutcome c = answered(queued, wait_seconds, -1);
  c.answered = false;
  c.abandoned = true;
  return c;
}

} // namespace

TEST_CASE("backtest: intervals follow local time across the autumn clock change", "[backtest]") {
  // Lisbon goes from UTC+1 to UTC+0 at 01:00 UTC on 2027-10-31: local 01:00-02:00 happens twice.
  const IntervalGrid grid(at("2027-10-30T22:00:00Z"), at("2027-10-31T04:00:00Z"), 60,
                          {sim::find_zone("Europe/Lisbon"), sim::find_zone("Asia/Kolkata")});
  REQUIRE(grid.intervals(0) == 6);
  CHECK(grid.local_label(0, 0) == "2027-10-30T23:00");
  CHECK(grid.local_label(0, 2) == "2027-10-31T01:00");
  CHECK(grid.local_label(0, 3) == "2027-10-31T01:00"); // the repeated hour, one UTC hour later
  CHECK(grid.local_label(0, 4) == "2027-10-31T02:00");
  CHECK(grid.index(0, at("2027-10-31T01:59:59Z")) == 3);
  // Kolkata is UTC+5:30: its hours start at half past UTC hours; the first is a partial hour.
  REQUIRE(grid.intervals(1) == 7);
  CHECK(grid.local_label(1, 0) == "2027-10-31T03:30"); // labelled by where it really starts
  CHECK(grid.start_of(1, 1) == at("2027-10-30T22:30:00Z"));
  CHECK(grid.index(1, at("2027-10-30T22:29:00Z")) == 0);
  CHECK(grid.index(1, at("2027-10-31T04:00:00Z")) == IntervalGrid::outside);
  CHECK_THROWS_WITH(IntervalGrid(at("2027-01-01"), at("2027-01-02"), 20, {}),
                    "an interval is 15, 30 or 60 minutes, not 20");
}

TEST_CASE("backtest: figures of one interval, counted by hand", "[backtest]") {
  const IntervalGrid grid(at("2027-01-04T09:00:00Z"), at("2027-01-04T10:00:00Z"), 30,
                          {sim::find_zone("UTC")});
  FigureOptions options;
  options.sl_seconds = {20, 60};
  Figures figures(grid, options);
  const std::vector<CaseOutcome> cases{
      answered("2027-01-04T09:00:00Z", 0, 4),   // no wait
      answered("2027-01-04T09:05:00Z", 10, 6),  // within 20 s
      answered("2027-01-04T09:10:00Z", 45, 8),  // within 60 s
      abandoned("2027-01-04T09:20:00Z", 90),    // gave up after 90 s
      answered("2027-01-04T09:25:00Z", 400, 2), // answered in the next interval
      answered("2027-01-04T09:40:00Z", 5, -1),  // the second interval; handle time unknown
  };
  const std::vector<AgentSpan> agents{
      {at("2027-01-04T09:00:00Z"), at("2027-01-04T10:00:00Z"), 0, false},
      {at("2027-01-04T09:00:00Z"), at("2027-01-04T09:15:00Z"), 0, true},
      {at("2027-01-04T09:20:00Z"), at("2027-01-04T09:35:00Z"), 0, true},
  };
  figures.add(cases, agents);
  const std::size_t phone = models::index_of(models::Channel::phone);
  const Tally &first = figures.tally(0, phone, 0);
  auto value = [&](const Tally &t, Figure f) {
    return figures.value(t, static_cast<std::size_t>(f));
  };
  CHECK(value(first, Figure::offered) == 5);
  CHECK(value(first, Figure::answered) == 4);
  CHECK(value(first, Figure::abandoned) == 1);
  CHECK(value(first, Figure::p_wait_zero) == Approx(1.0 / 5));
  CHECK(value(first, Figure::asa) == Approx((0 + 10 + 45 + 400) / 4.0));
  CHECK(value(first, Figure::mean_wait_queued) == Approx((10 + 45 + 90 + 400) / 4.0));
  CHECK(value(first, Figure::p_abandon_queued) == Approx(1.0 / 4));
  CHECK(value(first, Figure::aht) == Approx((4 + 6 + 8 + 2) / 4.0));
  CHECK(figures.value(first, fixed_figures + 0) == Approx(2.0 / 5)); // within 20 s
  CHECK(figures.value(first, fixed_figures + 1) == Approx(3.0 / 5)); // within 60 s
  // At 09:30 the 09:25 case still waits (answered 09:31:40); at 10:00 nobody does.
  CHECK(value(first, Figure::backlog) == 1);
  CHECK(value(figures.tally(0, phone, 1), Figure::backlog) == 0);
  CHECK(std::isnan(value(figures.tally(0, phone, 1), Figure::aht)));
  // Occupancy is region-wide: 15 + 10 busy minutes of 30 logged in the first half hour.
  const Tally &agents_first = figures.tally(0, Figures::all_channels, 0);
  CHECK(value(agents_first, Figure::occupancy) == Approx(25.0 / 30));
  CHECK(value(figures.overall(0, Figures::all_channels), Figure::occupancy) == Approx(30.0 / 60));
  const Tally whole = figures.overall(0, phone);
  CHECK(value(whole, Figure::offered) == 6);
  CHECK(value(whole, Figure::backlog) == Approx(0.5)); // the mean of 1 and 0
}

TEST_CASE("backtest: bands are the 2.5 % and 97.5 % quantiles of the replications", "[backtest]") {
  std::vector<double> values;
  for (int i = 0; i <= 40; ++i)
    values.push_back(i);
  values.push_back(std::nan(""));
  const Band b = band_of(values);
  CHECK(b.replications == 41);
  CHECK(b.mean == Approx(20));
  CHECK(b.low == Approx(1.0));   // (41 - 1) * 0.025 = 1
  CHECK(b.high == Approx(39.0)); // (41 - 1) * 0.975 = 39
  CHECK(std::isnan(band_of({std::nan("")}).mean));
}

TEST_CASE("backtest: scores compare each interval and the whole window", "[backtest]") {
  const IntervalGrid grid(at("2027-01-04T09:00:00Z"), at("2027-01-04T11:00:00Z"), 60,
                          {sim::find_zone("UTC")});
  const FigureOptions options;
  Figures actual(grid, options);
  actual.add(std::vector<CaseOutcome>{answered("2027-01-04T09:10:00Z", 30, 5),
                                      answered("2027-01-04T10:10:00Z", 30, 5)},
             {});
  // Replications answer the first hour's case in 20-40 s and the second's in 100-140 s.
  std::vector<Figures> replications;
  for (int k = 0; k <= 4; ++k) {
    Figures f(grid, options);
    f.add(std::vector<CaseOutcome>{answered("2027-01-04T09:10:00Z", 20 + 5 * k, 5),
                                   answered("2027-01-04T10:10:00Z", 100 + 10 * k, 5)},
          {});
    replications.push_back(std::move(f));
  }
  const Score s = score(actual, replications);
  const FigureScore *asa = nullptr;
  for (const FigureScore &f : s.overall)
    if (f.figure == static_cast<std::size_t>(Figure::asa)) asa = &f;
  REQUIRE(asa != nullptr);
  CHECK(asa->actual == Approx(30));
  CHECK(asa->simulated.mean == Approx((30 + 120) / 2.0));
  CHECK(asa->error == Approx(1.5));
  CHECK_FALSE(asa->reproduced);
  CHECK(asa->intervals == 2);
  CHECK(asa->coverage == Approx(0.5)); // the first hour in its band, the second not
  CHECK(asa->bias == Approx((0 + 90) / 2.0));
  CHECK(asa->wape == Approx(90.0 / 60));
  for (const FigureScore &f : s.overall)
    if (f.figure == static_cast<std::size_t>(Figure::offered)) CHECK(f.reproduced);
}
