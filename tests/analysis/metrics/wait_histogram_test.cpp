#include "analysis/metrics/wait_histogram.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using supportsim::analysis::WaitHistogram;
using supportsim::sim::Duration;

TEST_CASE("wait histogram: nearest-rank quantiles within the bucket width", "[analysis]") {
  SECTION("empty") {
    CHECK(std::isnan(WaitHistogram{}.quantile_minutes(0.9)));
  }

  SECTION("small exact values and zeros") {
    WaitHistogram h;
    for (int i = 0; i < 9; ++i)
      h.add(Duration::from_ticks(0));
    h.add(Duration::from_ticks(40));
    CHECK(h.count() == 10);
    CHECK(h.quantile_minutes(0.9) == 0.0);                                   // 9th of 10 is a zero
    CHECK(h.quantile_minutes(1.0) == Duration::from_ticks(40).to_minutes()); // exact below 64 us
  }

  SECTION("1 to 100 minutes") {
    WaitHistogram h;
    for (int m = 100; m >= 1; --m)
      h.add(Duration::minutes(m)); // order does not matter
    // The 90th of 100 is 90 minutes; buckets are at most 1/64 wide, midpoints within 1/128.
    CHECK(h.quantile_minutes(0.9) == Approx(90.0).epsilon(1.0 / 128));
    CHECK(h.quantile_minutes(0.5) == Approx(50.0).epsilon(1.0 / 128));
    CHECK(h.quantile_minutes(0.01) == Approx(1.0).epsilon(1.0 / 128));
  }

  SECTION("against the exact sample quantile of random waits") {
    auto stream = supportsim::sim::RandomStreams(5, 0).stream("histogram");
    std::vector<double> minutes;
    WaitHistogram h;
    for (int i = 0; i < 20000; ++i) {
      const double m = -30.0 * std::log(1.0 - stream.uniform01()); // exponential, mean 30
      const Duration d = Duration::from_minutes(m);
      minutes.push_back(d.to_minutes());
      h.add(d);
    }
    std::sort(minutes.begin(), minutes.end());
    for (double p : {0.5, 0.8, 0.9, 0.95, 0.99}) {
      const double exact = minutes[static_cast<std::size_t>(std::ceil(p * 20000)) - 1];
      INFO("p = " << p);
      CHECK(h.quantile_minutes(p) == Approx(exact).epsilon(1.0 / 128));
    }
  }
}
