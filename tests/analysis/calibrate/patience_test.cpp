// Censored patience: exponential and Weibull patience recovered through heavy censoring (70 %
// of queued customers are answered before their patience runs out), the naive mean of the
// abandoned customers' waits shown wrong in the same samples, Kaplan-Meier against the known
// survival and a hand-computed example with ties, and the edge cases.
#include "analysis/calibrate/patience.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace {

using namespace supportsim;
using analysis::Family;
using analysis::find_family;
using analysis::fit_patience;
using analysis::QueuedWait;

/// Queued customers whose patience is drawn from `patience` and whose wait for an agent from an
/// exponential with mean `service_wait_mean`: each waits min(patience, wait for an agent) and
/// abandons when patience is the shorter.
std::vector<QueuedWait> queue(const sim::Distribution &patience, double service_wait_mean,
                              std::size_t n, std::uint64_t seed) {
  sim::SmallStream stream(seed);
  const sim::Distribution service = sim::Distribution::exponential(service_wait_mean);
  std::vector<QueuedWait> out(n);
  for (QueuedWait &w : out) {
    const double p = patience.sample(stream), s = service.sample(stream);
    w = {std::min(p, s), p < s};
  }
  return out;
}

double served_share(const std::vector<QueuedWait> &waits) {
  double served = 0;
  for (const QueuedWait &w : waits)
    served += w.abandoned ? 0 : 1;
  return served / static_cast<double>(waits.size());
}

double parameter(const sim::Distribution &d, const std::string &name) {
  for (const auto &[key, value] : d.spec().parameters)
    if (key == name) return value;
  FAIL("no parameter " << name << " in " << d.describe());
  return NAN;
}

bool contains(const std::vector<std::string> &warnings, const std::string &part) {
  for (const std::string &w : warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("calibrate: exponential patience (mean 3 min) through 70 % censoring; the naive mean "
          "is wrong by a factor of 3",
          "[calibrate][patience]") {
  // Service wait exponential with mean 9/7 min: P(served) = mu / (mu + 1/3) = 0.7.
  const auto waits = queue(sim::Distribution::exponential(3.0), 9.0 / 7.0, 20'000, 42);
  CHECK(served_share(waits) == Approx(0.7).margin(0.01));
  const auto fit = fit_patience(waits);
  CHECK(fit.n == 20'000);
  // About 6,000 abandonments: the standard error of the mean is 1.3 %.
  CHECK(fit.exponential_mean == Approx(3.0).epsilon(0.04));
  CHECK(fit.exponential_mean_se == Approx(3.0 / std::sqrt(6000.0)).epsilon(0.05));
  REQUIRE(fit.distribution);
  CHECK(fit.distribution->mean() == Approx(3.0).epsilon(0.05));
  CHECK(parameter(*find_family(fit.families, Family::weibull)->distribution, "shape") ==
        Approx(1.0).epsilon(0.04));
  // Those who abandon waited min(P, S) given P < S: exponential with rate 1/3 + 7/9, mean 0.9 min.
  CHECK(fit.naive_mean == Approx(0.9).epsilon(0.04));
  CHECK(fit.exponential_mean / fit.naive_mean > 3.0);
  // Kaplan-Meier against the known survival exp(-t/3).
  for (double t : {0.5, 1.0, 2.0, 3.0})
    CHECK(analysis::survival_at(fit.kaplan_meier, t) == Approx(std::exp(-t / 3.0)).margin(0.015));
  CHECK(fit.kaplan_meier.median == Approx(3.0 * std::log(2.0)).epsilon(0.05));
  // Its fit to Kaplan-Meier is close.
  CHECK(find_family(fit.families, Family::exponential)->ks_distance < 0.03);
}

TEST_CASE("calibrate: Weibull patience (shape 0.7) through 70 % censoring is chosen and "
          "recovered; the naive mean is wrong by a factor of 8",
          "[calibrate][patience]") {
  const sim::Distribution truth = sim::Distribution::weibull(0.7, 4.0); // mean 5.06 min
  const auto waits = queue(truth, 1.2, 20'000, 4242);
  CHECK(served_share(waits) == Approx(0.70).margin(0.01));
  const auto fit = fit_patience(waits);
  REQUIRE(fit.chosen == Family::weibull);
  CHECK(parameter(*fit.distribution, "shape") == Approx(0.7).epsilon(0.03));
  CHECK(parameter(*fit.distribution, "scale") == Approx(4.0).epsilon(0.05));
  CHECK(fit.distribution->mean() == Approx(truth.mean()).epsilon(0.05));
  const auto &exponential = *find_family(fit.families, Family::exponential);
  const auto &weibull = *find_family(fit.families, Family::weibull);
  CHECK(exponential.aic - weibull.aic > 100.0);
  CHECK(weibull.ks_distance < 0.02);
  CHECK(exponential.ks_distance > 0.05);
  // E[P | P < S] = 0.638 min (numerical integration), against a mean patience of 5.06 min.
  CHECK(fit.naive_mean == Approx(0.638).epsilon(0.04));
  CHECK(truth.mean() / fit.naive_mean > 7.0);
  for (double t : {0.25, 1.0, 2.0})
    CHECK(analysis::survival_at(fit.kaplan_meier, t) ==
          Approx(std::exp(-std::pow(t / 4.0, 0.7))).margin(0.015));
}

TEST_CASE("calibrate: Kaplan-Meier by hand, with ties", "[calibrate][patience]") {
  // Abandonments at 1, 2, 4; answered at 2, 3, 5. At 2 the answered customer is still at risk
  // (abandonments come first at equal times): S = 5/6, then 5/6 * 4/5 = 2/3, then 2/3 * 1/2.
  std::vector<QueuedWait> waits{{3, false}, {2, false}, {1, true},
                                {5, false}, {4, true},  {2, true}};
  const auto km = analysis::kaplan_meier(waits);
  REQUIRE(km.steps.size() == 3);
  CHECK(km.steps[0].minutes == 1);
  CHECK(km.steps[0].at_risk == 6);
  CHECK(km.steps[0].survival == Approx(5.0 / 6.0));
  CHECK(km.steps[1].minutes == 2);
  CHECK(km.steps[1].at_risk == 5);
  CHECK(km.steps[1].survival == Approx(2.0 / 3.0));
  CHECK(km.steps[2].minutes == 4);
  CHECK(km.steps[2].at_risk == 2);
  CHECK(km.steps[2].survival == Approx(1.0 / 3.0));
  CHECK(km.median == 4);
  // 1 + 5/6 + 2 * 2/3 + 1/3, up to the longest wait (5).
  CHECK(km.restricted_mean == Approx(3.5));
  CHECK(km.last_minutes == 5);
  CHECK_FALSE(km.complete);
  CHECK(analysis::survival_at(km, 0.5) == 1.0);
  CHECK(analysis::survival_at(km, 2.0) == Approx(2.0 / 3.0));
  CHECK(analysis::survival_at(km, 3.9) == Approx(2.0 / 3.0));

  const auto fit = fit_patience(waits);
  CHECK(fit.abandoned == 3);
  CHECK(fit.exponential_mean == Approx(17.0 / 3.0)); // total wait 17 over 3 abandonments
  CHECK(fit.naive_mean == Approx(7.0 / 3.0));
  CHECK(fit.families.size() == 1); // 3 abandonments: exponential only
  CHECK(contains(fit.warnings, "only 3 abandonments"));
}

TEST_CASE("calibrate: patience edge cases", "[calibrate][patience]") {
  SECTION("all censored: nothing fitted, said so") {
    const auto fit = fit_patience({{1.0, false}, {2.5, false}, {0.0, false}});
    CHECK(fit.abandoned == 0);
    CHECK_FALSE(fit.distribution);
    CHECK(std::isnan(fit.naive_mean));
    CHECK(fit.kaplan_meier.steps.empty());
    CHECK(std::isnan(fit.kaplan_meier.median));
    CHECK(fit.kaplan_meier.restricted_mean == Approx(2.5));
    CHECK(contains(fit.warnings, "none of 3 queued customers abandoned (longest wait 2.5 min)"));
  }
  SECTION("no censoring: the ordinary estimates") {
    sim::SmallStream stream(5);
    const sim::Distribution d = sim::Distribution::weibull(1.5, 3.0);
    std::vector<QueuedWait> waits(5000);
    double sum = 0;
    for (QueuedWait &w : waits) {
      w = {d.sample(stream), true};
      sum += w.wait_minutes;
    }
    const auto fit = fit_patience(waits);
    CHECK(fit.exponential_mean == Approx(sum / 5000));
    CHECK(fit.naive_mean == Approx(sum / 5000)); // without censoring the naive mean is right
    CHECK(fit.kaplan_meier.complete);
    CHECK(fit.kaplan_meier.restricted_mean == Approx(sum / 5000));
    CHECK(fit.kaplan_meier.steps.size() == 5000);
    CHECK(fit.kaplan_meier.steps[99].survival == Approx(1.0 - 100.0 / 5000));
    REQUIRE(fit.chosen == Family::weibull);
    CHECK(parameter(*fit.distribution, "shape") == Approx(1.5).epsilon(0.04));
  }
  SECTION("ties: everyone abandons at the same time") {
    const auto fit = fit_patience(std::vector<QueuedWait>(30, {2.0, true}));
    REQUIRE(fit.kaplan_meier.steps.size() == 1);
    CHECK(fit.kaplan_meier.steps[0].survival == 0.0);
    CHECK(fit.kaplan_meier.median == 2.0);
    CHECK(fit.exponential_mean == Approx(2.0));
    CHECK(fit.chosen == Family::exponential); // the Weibull shape has no finite maximum
    CHECK(contains(fit.warnings, "weibull not usable"));
  }
  SECTION("abandonments at wait 0: the exponential only, and why") {
    auto waits = queue(sim::Distribution::exponential(3.0), 1.0, 500, 8);
    waits.push_back({0.0, true});
    const auto fit = fit_patience(waits);
    CHECK(fit.families.size() == 1);
    CHECK(contains(fit.warnings, "1 abandonments at wait 0"));
  }
  SECTION("negative and NaN waits: left out, counted") {
    const auto fit = fit_patience({{-1.0, true}, {NAN, false}, {1.0, true}});
    CHECK(fit.n == 1);
    CHECK(fit.left_out == 2);
    CHECK(contains(fit.warnings, "2 waits negative or not a number"));
  }
  SECTION("nothing at all") {
    const auto fit = fit_patience({});
    CHECK_FALSE(fit.distribution);
    CHECK(contains(fit.warnings, "no queued customer"));
  }
}
