// The analytic formulas against independent computations and published values.
//
// Erlang B and C are checked against the textbook factorial sums (written out here for small c)
// and against values computed in exact rational arithmetic. Erlang A's public implementation
// integrates Mandelbaum & Zeltyn's density of the offered wait; here it is checked against two
// other routes to the same numbers: the M/M/c+M birth-death chain solved directly (stationary
// distribution, then the tagged arrival's own chain by uniformization), and M&Z's closed forms
// through Boost's regularised incomplete gamma function. Time unit: minutes throughout.
#include "analysis/forecast/erlang.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

using namespace supportsim::analysis;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

constexpr double infinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------
// Independent references.

// Erlang B as the textbook ratio (a^c / c!) / sum_{k<=c} a^k / k!, for small c only.
double erlang_b_by_factorials(int c, double a) {
  double term = 1.0; // a^k / k!
  double sum = 1.0;
  for (int k = 1; k <= c; ++k) {
    term *= a / k;
    sum += term;
  }
  return term / sum;
}

// Erlang C as the textbook ratio: (a^c / c!) (c / (c - a)) over the same plus sum_{k<c} a^k / k!.
double erlang_c_by_factorials(int c, double a) {
  double term = 1.0;
  double lower = 0.0;
  for (int k = 0; k < c; ++k) {
    lower += term;
    term *= a / (k + 1);
  }
  const double waiting = term * c / (c - a);
  return waiting / (lower + waiting);
}

// Erlang B for large c from log-weights k log a - log k!, normalised by their largest member:
// an independent route (lgamma, no recursion) to check the recursion at c = 10,000.
double erlang_b_by_log_weights(int c, double a) {
  std::vector<double> log_weight(c + 1);
  for (int k = 0; k <= c; ++k)
    log_weight[k] = k * std::log(a) - std::lgamma(k + 1.0);
  const double top = *std::max_element(log_weight.begin(), log_weight.end());
  double sum = 0.0;
  for (double w : log_weight)
    sum += std::exp(w - top);
  return std::exp(log_weight[c] - top) / sum;
}

/// What the birth-death chain of M/M/c+M says, for one threshold t.
struct ChainFigures {
  double p_wait;          // sum_{k>=c} pi_k (PASTA)
  double p_abandon;       // theta E[Q] / lambda, abandonment flow over arrival flow
  double mean_queue;      // E[Q] = sum (k - c) pi_k
  double p_wait_exceeds;  // P(still in queue at t)
  double p_served_within; // P(V = 0) + P(service starts by t)
};

// The chain: k in system, birth lambda, death min(k, c) mu + max(k - c, 0) theta, truncated
// where pi_k has fallen e^-45 below its largest value. A tagged arrival that finds c + m in the
// system has m others ahead; it moves to m - 1 at rate c mu + m theta (a service completion or
// an abandonment ahead), from 0 into service at rate c mu, and abandons itself at rate theta.
// Uniformization (rate big enough for every state, Poisson number of jumps by t) gives the
// probability of being in each of its states at t, with no matrix exponential and no
// hypoexponential closed form (whose alternating sums cancel badly).
ChainFigures solve_chain(double lambda, double mean_service, int c, double patience, double t) {
  const double mu = 1.0 / mean_service;
  const double theta = 1.0 / patience;
  const auto death = [&](int k) { return std::min(k, c) * mu + std::max(k - c, 0) * theta; };

  std::vector<double> log_pi{0.0};
  double top = 0.0;
  for (int k = 1;; ++k) {
    log_pi.push_back(log_pi.back() + std::log(lambda / death(k)));
    top = std::max(top, log_pi.back());
    if (k > c && death(k) > lambda && log_pi.back() < top - 45.0) break;
  }
  std::vector<double> pi(log_pi.size());
  double total = 0.0;
  for (std::size_t k = 0; k < pi.size(); ++k)
    total += pi[k] = std::exp(log_pi[k] - top);
  for (double &p : pi)
    p /= total;

  ChainFigures figures{};
  for (std::size_t k = c; k < pi.size(); ++k) {
    figures.p_wait += pi[k];
    figures.mean_queue += static_cast<double>(k - c) * pi[k];
  }
  figures.p_abandon = theta * figures.mean_queue / lambda;

  // Tagged arrival: ahead[m] is the probability of m ahead and still waiting.
  const std::size_t states = pi.size() - c;
  std::vector<double> ahead(pi.begin() + c, pi.end());
  const auto down = [&](std::size_t m) { return c * mu + static_cast<double>(m) * theta; };
  const double rate = down(states - 1) + theta; // the fastest any state is left
  const double jumps_mean = rate * t;
  const int jumps_max = static_cast<int>(jumps_mean + 12.0 * std::sqrt(jumps_mean) + 40.0);
  double served = 0.0; // entered service after <= n jumps
  double waiting_at_t = 0.0;
  double served_by_t = 0.0;
  std::vector<double> next(states);
  for (int n = 0; n <= jumps_max; ++n) {
    const double poisson =
        t == 0.0 ? (n == 0 ? 1.0 : 0.0)
                 : std::exp(n * std::log(jumps_mean) - jumps_mean - std::lgamma(n + 1.0));
    double still_waiting = 0.0;
    for (double p : ahead)
      still_waiting += p;
    waiting_at_t += poisson * still_waiting;
    served_by_t += poisson * served;
    // One uniformized jump.
    served += ahead[0] * c * mu / rate;
    for (std::size_t m = 0; m < states; ++m) {
      next[m] = ahead[m] * (1.0 - (down(m) + theta) / rate);
      if (m + 1 < states) next[m] += ahead[m + 1] * down(m + 1) / rate;
    }
    ahead.swap(next);
  }
  figures.p_wait_exceeds = waiting_at_t;
  figures.p_served_within = (1.0 - figures.p_wait) + served_by_t;
  return figures;
}

/// Mandelbaum & Zeltyn's closed forms, with x = c mu / theta, y = lambda / theta and
/// P(x, .) Boost's regularised lower incomplete gamma. Their A(x, y) = x e^y y^-x gamma(x, y)
/// is x P(x, y) / (y P'(x, y)), P' = e^-y y^(x-1) / Gamma(x) the gamma density. Only for moderate
/// x and y: Boost's incomplete gamma degrades for huge x near x = y.
struct ClosedForms {
  double p_wait, p_abandon, p_wait_exceeds, p_served_within;
};

ClosedForms closed_forms(double lambda, double mean_service, int c, double patience, double t) {
  using boost::math::gamma_p;
  using boost::math::gamma_p_derivative;
  const double theta = 1.0 / patience;
  const double x = c / mean_service / theta;
  const double y = lambda / theta;
  const double rho = y / x;
  const double a_xy = x * gamma_p(x, y) / (y * gamma_p_derivative(x, y));
  const double blocking = erlang_b_by_factorials(c, lambda * mean_service);
  ClosedForms forms{};
  // P(W > 0) = A B / (1 - B + A B) (M&Z, with B = Erlang B).
  forms.p_wait = a_xy * blocking / (1.0 - blocking + a_xy * blocking);
  // P(Ab | W > 0) = 1 / (rho A) + 1 - 1 / rho (M&Z).
  forms.p_abandon = forms.p_wait * (1.0 / (rho * a_xy) + 1.0 - 1.0 / rho);
  // P(V > t) / P(V > 0) = gamma(x, y e^{-theta t}) / gamma(x, y), and W = min(V, tau).
  const double y_t = y * std::exp(-theta * t);
  forms.p_wait_exceeds = forms.p_wait * std::exp(-theta * t) * gamma_p(x, y_t) / gamma_p(x, y);
  // int_0^t e^{-theta s} f_V(s) ds = P(W > 0) x (P(x + 1, y) - P(x + 1, y_t)) / (y P(x, y)).
  forms.p_served_within =
      1.0 - forms.p_wait +
      forms.p_wait * x * (gamma_p(x + 1, y) - gamma_p(x + 1, y_t)) / (y * gamma_p(x, y));
  return forms;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Erlang B

TEST_CASE("erlang_b matches published table values", "[analysis][erlang]") {
  // Standard Erlang B tables (e.g. 10 Erlangs on 10 circuits: 21.5 % blocked); the digits are
  // from exact rational evaluation of the factorial sum.
  CHECK_THAT(erlang_b(10, 10.0), WithinAbs(0.214582343107347, 1e-14));
  CHECK_THAT(erlang_b(5, 2.0), WithinAbs(0.036697247706422, 1e-14));
  CHECK_THAT(erlang_b(12, 10.0), WithinAbs(0.119739188444825, 1e-14));
  CHECK_THAT(erlang_b(20, 18.0), WithinAbs(0.109212845872522, 1e-14));
  CHECK_THAT(erlang_b(2, 1.0), WithinAbs(0.2, 1e-15)); // (1/2) / (1 + 1 + 1/2)
}

TEST_CASE("erlang_b agrees with the factorial sum for small c", "[analysis][erlang]") {
  const int c = GENERATE(1, 2, 5, 12, 30, 60);
  const double a = GENERATE(0.1, 1.0, 7.5, 25.0, 80.0);
  CHECK_THAT(erlang_b(c, a), WithinRel(erlang_b_by_factorials(c, a), 1e-12));
}

TEST_CASE("erlang_b is stable for thousands of servers", "[analysis][erlang]") {
  const double a = GENERATE(9500.0, 10000.0, 10500.0);
  const double b = erlang_b(10000, a);
  CHECK(std::isfinite(b));
  CHECK_THAT(b, WithinRel(erlang_b_by_log_weights(10000, a), 1e-9));
  // Far more servers than load: blocking is astronomically small but not NaN.
  CHECK(erlang_b(10000, 10.0) >= 0.0);
  CHECK(erlang_b(10000, 10.0) < 1e-300);
}

TEST_CASE("erlang_b edge cases and invalid input", "[analysis][erlang]") {
  CHECK(erlang_b(0, 3.0) == 1.0); // no servers: everything is blocked
  CHECK(erlang_b(4, 0.0) == 0.0); // no load: nothing is
  CHECK_THROWS_AS(erlang_b(-1, 3.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_b(3, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(erlang_b(3, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(erlang_b(3, infinity), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Erlang C

TEST_CASE("Erlang C matches published and factorial-sum values", "[analysis][erlang]") {
  SECTION("10 Erlangs on 12 servers: C = 0.4494") {
    const ErlangC q{10.0, 1.0, 12};
    CHECK_THAT(q.p_wait(), WithinAbs(0.449388224298271, 1e-14)); // exact rational evaluation
    CHECK_THAT(q.p_wait(), WithinRel(erlang_c_by_factorials(12, 10.0), 1e-13));
    CHECK_THAT(q.offered_load(), WithinAbs(10.0, 1e-15));
    CHECK_THAT(q.utilisation(), WithinAbs(10.0 / 12.0, 1e-15));
  }
  SECTION("small systems by hand") {
    // M/M/1: C = rho. M/M/2 with a = 1: C = 2 B / (2 - a (1 - B)), B = 1/5, so 1/3.
    CHECK_THAT((ErlangC{0.5, 1.0, 1}.p_wait()), WithinAbs(0.5, 1e-15));
    CHECK_THAT((ErlangC{1.0, 1.0, 2}.p_wait()), WithinAbs(1.0 / 3.0, 1e-15));
    CHECK_THAT((ErlangC{2.0, 1.0, 5}.p_wait()), WithinAbs(0.0597014925373134, 1e-15));
  }
  SECTION("agrees with the factorial sum") {
    const int c = GENERATE(1, 3, 8, 25, 50);
    const double rho = GENERATE(0.05, 0.5, 0.9, 0.99);
    CHECK_THAT((ErlangC{rho * c, 1.0, c}.p_wait()),
               WithinRel(erlang_c_by_factorials(c, rho * c), 1e-12));
  }
}

TEST_CASE("Erlang C waiting-time distribution at c = 20, load 0.9", "[analysis][erlang]") {
  // 18 arrivals a minute, 1-minute service, 20 servers: c mu - lambda = 2 per minute, so
  // P(W > t) = C e^{-2t}, E[W] = C / 2; C = 0.550769004816118 in exact rational arithmetic.
  const ErlangC q{18.0, 1.0, 20};
  const double c = 0.550769004816118;
  CHECK_THAT(q.p_wait(), WithinAbs(c, 1e-14));
  CHECK_THAT(q.mean_wait(), WithinAbs(0.27538450240805879, 1e-14));
  CHECK_THAT(q.p_wait_exceeds(0.0), WithinAbs(c, 1e-14));
  CHECK_THAT(q.p_wait_exceeds(0.5), WithinAbs(0.20261659370630476, 1e-14)); // C / e
  CHECK_THAT(q.p_wait_exceeds(1.0), WithinAbs(0.074538479264736573, 1e-14));
  CHECK_THAT(q.service_level(0.25), WithinAbs(0.66594171215960963, 1e-14));
  CHECK_THAT(q.service_level(2.0), WithinAbs(0.98991231379668049, 1e-14));
  CHECK(q.p_wait_exceeds(infinity) == 0.0);
  CHECK(q.service_level(infinity) == 1.0);

  SECTION("quantiles invert the service level") {
    // t_p = ln(C / (1 - p)) / 2.
    CHECK_THAT(q.wait_quantile(0.8), WithinAbs(0.50649906284748392, 1e-13));
    CHECK_THAT(q.wait_quantile(0.95), WithinAbs(1.1996462434074293, 1e-13));
    const double p = GENERATE(0.5, 0.8, 0.9, 0.99, 0.999);
    CHECK_THAT(q.service_level(q.wait_quantile(p)), WithinAbs(p, 1e-13));
  }
  SECTION("a quantile inside the atom at zero is zero") {
    CHECK(q.wait_quantile(0.0) == 0.0);
    CHECK(q.wait_quantile(0.3) == 0.0);           // P(W = 0) = 0.449 >= 0.3
    CHECK(q.wait_quantile(1.0 - 0.550769) > 0.0); // just above the atom
    CHECK(q.wait_quantile(1.0) == infinity);
  }
}

TEST_CASE("Erlang C does not depend on the time unit chosen", "[analysis][erlang]") {
  // The c = 20 system again, in seconds: rates / 60, times * 60.
  const ErlangC minutes{18.0, 1.0, 20};
  const ErlangC seconds{18.0 / 60.0, 60.0, 20};
  CHECK_THAT(seconds.p_wait(), WithinRel(minutes.p_wait(), 1e-13));
  CHECK_THAT(seconds.service_level(30.0), WithinRel(minutes.service_level(0.5), 1e-13));
  CHECK_THAT(seconds.mean_wait(), WithinRel(60.0 * minutes.mean_wait(), 1e-13));
  CHECK_THAT(seconds.wait_quantile(0.9), WithinRel(60.0 * minutes.wait_quantile(0.9), 1e-13));
}

TEST_CASE("Erlang C at and above saturation, and with no arrivals", "[analysis][erlang]") {
  SECTION("a >= c: everyone waits, forever") {
    const int servers = GENERATE(1, 10, 20);
    const double excess = GENERATE(0.0, 0.5, 10.0);
    const ErlangC q{servers + excess, 1.0, servers};
    CHECK(q.utilisation() >= 1.0);
    CHECK(q.p_wait() == 1.0);
    CHECK(q.mean_wait() == infinity);
    CHECK(q.p_wait_exceeds(5.0) == 1.0);
    CHECK(q.service_level(5.0) == 0.0);
    CHECK(q.wait_quantile(0.5) == infinity);
    CHECK(q.wait_quantile(0.0) == 0.0);
  }
  SECTION("no arrivals: nobody waits") {
    const ErlangC q{0.0, 4.0, 3};
    CHECK(q.p_wait() == 0.0);
    CHECK(q.mean_wait() == 0.0);
    CHECK(q.service_level(0.0) == 1.0);
    CHECK(q.wait_quantile(0.99) == 0.0);
    CHECK(q.utilisation() == 0.0);
  }
}

TEST_CASE("Erlang C rejects invalid input", "[analysis][erlang]") {
  const double nan = std::nan("");
  CHECK_THROWS_AS((ErlangC{1.0, 1.0, 0}.p_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, 1.0, -3}.mean_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{-1.0, 1.0, 2}.p_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{nan, 1.0, 2}.utilisation()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, 0.0, 2}.offered_load()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, infinity, 2}.p_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, 1.0, 2}.p_wait_exceeds(-1.0)), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, 1.0, 2}.service_level(nan)), std::invalid_argument);
  CHECK_THROWS_AS((ErlangC{1.0, 1.0, 2}.wait_quantile(1.5)), std::invalid_argument);
  CHECK_THROWS_WITH((ErlangC{1.0, -2.0, 2}.p_wait()),
                    Catch::Contains("mean_service_time") && Catch::Contains("-2"));
}

TEST_CASE("erlang_c_required_servers: the classic 80/20 example", "[analysis][erlang]") {
  // 100 contacts per 30 minutes, 3-minute handling (a = 10 Erlangs), 80 % answered within
  // 20 seconds: 13 agents give 79.6 %, 14 give 88.8 % (values in exact arithmetic), so 14.
  const double lambda = 100.0 / 30.0;
  const double t = 20.0 / 60.0;
  CHECK(erlang_c_required_servers(lambda, 3.0, t, 0.8) == 14);
  CHECK_THAT((ErlangC{lambda, 3.0, 13}.service_level(t)), WithinAbs(0.795594788418, 1e-11));
  CHECK_THAT((ErlangC{lambda, 3.0, 14}.service_level(t)), WithinAbs(0.888350019179, 1e-11));
  CHECK(erlang_c_required_servers(lambda, 3.0, t, 0.7959) == 14);
  CHECK(erlang_c_required_servers(lambda, 3.0, t, 0.7955) == 13);
  // Target 0 still needs a stable system: the first c above a = 10.
  CHECK(erlang_c_required_servers(lambda, 3.0, t, 0.0) == 11);
  CHECK(erlang_c_required_servers(0.0, 3.0, t, 0.99) == 1);
}

TEST_CASE("erlang_c_required_servers returns the smallest c meeting the target",
          "[analysis][erlang]") {
  const double lambda = GENERATE(0.2, 3.0, 18.0, 450.0);
  const double t = GENERATE(0.0, 0.1, 1.0);
  const double target = GENERATE(0.5, 0.8, 0.95, 0.999);
  const int c = erlang_c_required_servers(lambda, 1.0, t, target);
  CHECK(c > lambda);
  CHECK((ErlangC{lambda, 1.0, c}.service_level(t)) >= target);
  if (c - 1 > lambda) CHECK((ErlangC{lambda, 1.0, c - 1}.service_level(t)) < target);
}

TEST_CASE("erlang_c_required_servers rejects invalid input", "[analysis][erlang]") {
  CHECK_THROWS_AS(erlang_c_required_servers(1.0, 1.0, 0.5, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c_required_servers(1.0, 1.0, 0.5, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c_required_servers(1.0, 1.0, -0.5, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c_required_servers(-1.0, 1.0, 0.5, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c_required_servers(1.0, 0.0, 0.5, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(erlang_c_required_servers(1e300, 1.0, 0.5, 0.8), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Erlang A

TEST_CASE("Erlang A matches pinned values", "[analysis][erlang]") {
  // From a 30-digit solution of the birth-death chain (stationary distribution, and the tagged
  // arrival's chain by matrix exponential), independent of both implementations here.
  SECTION("c = 20, lambda = 18/min, service 1 min, patience 5 min, t = 0.5 min") {
    const ErlangA q{18.0, 1.0, 20, 5.0};
    CHECK_THAT(q.p_wait(), WithinAbs(0.45408946795392678, 1e-13));
    CHECK_THAT(q.p_abandon(), WithinAbs(0.023912354395912915, 1e-13));
    CHECK_THAT(q.p_wait_exceeds(0.5), WithinAbs(0.066175169501276853, 1e-13));
    CHECK_THAT(q.p_served_within(0.5), WithinAbs(0.91252803046568227, 1e-13));
    CHECK_THAT(q.mean_wait(), WithinAbs(0.11956177197956458, 1e-13));
    CHECK_THAT(q.utilisation(), WithinAbs(0.87847888104367838, 1e-13));
  }
  SECTION("overloaded: lambda = 22/min on 20 servers") {
    const ErlangA q{22.0, 1.0, 20, 5.0};
    CHECK_THAT(q.p_wait(), WithinAbs(0.89919819228178132, 1e-13));
    CHECK_THAT(q.p_abandon(), WithinAbs(0.10596485076640386, 1e-13));
    CHECK_THAT(q.p_wait_exceeds(0.5), WithinAbs(0.47810347231326551, 1e-13));
    CHECK_THAT(q.p_served_within(0.5), WithinAbs(0.45235343769105467, 1e-13));
    CHECK_THAT(q.mean_wait(), WithinAbs(0.52982425383201928, 1e-13));
    CHECK_THAT(q.utilisation(), WithinAbs(0.98343866415695576, 1e-13));
  }
  SECTION("M/M/1+M with theta = mu behaves as M/M/inf: P(W > 0) = 1 - e^-a") {
    const ErlangA q{1.0, 1.0, 1, 1.0};
    CHECK_THAT(q.p_wait(), WithinAbs(1.0 - std::exp(-1.0), 1e-14));
    // Then E[Q] = E[N] - P(N > 0) = 1 - (1 - e^-1), and P(Ab) = theta E[Q] / lambda.
    CHECK_THAT(q.p_abandon(), WithinAbs(std::exp(-1.0), 1e-14));
  }
}

TEST_CASE("Erlang A agrees with the birth-death chain and the closed forms", "[analysis][erlang]") {
  struct Case {
    double lambda, service;
    int servers;
    double patience;
  };
  const Case k = GENERATE(Case{18.0, 1.0, 20, 5.0},   // the validation scenario
                          Case{22.0, 1.0, 20, 5.0},   // overloaded, stable thanks to abandonment
                          Case{15.0, 1.0, 10, 4.0},   // 50 % overload
                          Case{40.0, 1.0, 10, 0.5},   // 4x overload, impatient
                          Case{2.0, 3.0, 4, 20.0},    // a = 6 on 4 servers, patient
                          Case{8.0, 0.5, 3, 0.1},     // very impatient
                          Case{0.6, 0.2, 2, 0.002},   // patience far below service time
                          Case{9.0, 1.0, 10, 200.0},  // patience far above service time
                          Case{0.3, 2.0, 1, 1.0},     // one agent, light load
                          Case{95.0, 1.0, 100, 2.0}); // large, near critical
  const double t = GENERATE(0.0, 0.05, 0.5, 2.0);
  const ErlangA q{k.lambda, k.service, k.servers, k.patience};
  const ChainFigures chain = solve_chain(k.lambda, k.service, k.servers, k.patience, t);
  const ClosedForms forms = closed_forms(k.lambda, k.service, k.servers, k.patience, t);

  CHECK_THAT(q.p_wait(), WithinAbs(chain.p_wait, 1e-9));
  CHECK_THAT(q.p_abandon(), WithinAbs(chain.p_abandon, 1e-9));
  CHECK_THAT(q.p_wait_exceeds(t), WithinAbs(chain.p_wait_exceeds, 1e-9));
  CHECK_THAT(q.p_served_within(t), WithinAbs(chain.p_served_within, 1e-9));
  // Little's law on the queue: E[Q] = lambda E[W], abandoned arrivals included.
  CHECK_THAT(k.lambda * q.mean_wait(), WithinRel(chain.mean_queue, 1e-9));

  CHECK_THAT(q.p_wait(), WithinAbs(forms.p_wait, 1e-9));
  CHECK_THAT(q.p_abandon(), WithinAbs(forms.p_abandon, 1e-9));
  CHECK_THAT(q.p_wait_exceeds(t), WithinAbs(forms.p_wait_exceeds, 1e-9));
  CHECK_THAT(q.p_served_within(t), WithinAbs(forms.p_served_within, 1e-9));
}

TEST_CASE("Erlang A conservation and consistency identities", "[analysis][erlang]") {
  const double lambda = GENERATE(5.0, 18.0, 30.0);
  const double patience = GENERATE(0.2, 3.0, 50.0);
  const ErlangA q{lambda, 1.0, 20, patience};
  const double theta = 1.0 / patience;

  // Abandonment flow = theta E[Q] (everyone in queue abandons at rate theta) = lambda P(Ab).
  const ChainFigures chain = solve_chain(lambda, 1.0, 20, patience, 0.0);
  CHECK_THAT(lambda * q.p_abandon(), WithinRel(theta * chain.mean_queue, 1e-9));
  // Served flow = busy servers: lambda (1 - P(Ab)) s = E[min(N, c)].
  CHECK(q.utilisation() < 1.0);
  CHECK_THAT(q.utilisation(), WithinAbs(lambda * (1.0 - q.p_abandon()) / 20.0, 1e-15));
  // The atom at zero: nobody waits and everybody is "served within 0" exactly when N < c.
  CHECK_THAT(q.p_wait_exceeds(0.0), WithinAbs(q.p_wait(), 1e-15));
  CHECK_THAT(q.p_served_within(0.0), WithinAbs(1.0 - q.p_wait(), 1e-15));
  // With no deadline, the served share is everyone who does not abandon.
  CHECK_THAT(q.p_served_within(infinity), WithinAbs(1.0 - q.p_abandon(), 1e-12));
  CHECK(q.p_wait_exceeds(infinity) == 0.0);
  // An arrival either is served within t, still waits at t, or abandoned before t.
  double previous_wait = q.p_wait();
  double previous_served = 1.0 - q.p_wait();
  for (double t : {0.01, 0.1, 0.5, 1.0, 3.0, 10.0}) {
    const double waiting = q.p_wait_exceeds(t);
    const double served = q.p_served_within(t);
    CHECK(waiting <= previous_wait);
    CHECK(served >= previous_served);
    CHECK(served + waiting <= 1.0 + 1e-12);
    CHECK(served + waiting >= 1.0 - q.p_abandon() - 1e-12);
    previous_wait = waiting;
    previous_served = served;
  }
}

TEST_CASE("Erlang A tends to Erlang C as patience grows", "[analysis][erlang]") {
  struct Case {
    double lambda;
    int servers;
  };
  const Case k = GENERATE(Case{10.0, 12}, Case{18.0, 20}, Case{0.5, 1}, Case{95.0, 100});
  const ErlangA patient{k.lambda, 1.0, k.servers, 1e9};
  const ErlangC erlang_c{k.lambda, 1.0, k.servers};
  CHECK_THAT(patient.p_wait(), WithinAbs(erlang_c.p_wait(), 1e-6));
  CHECK_THAT(patient.mean_wait(), WithinRel(erlang_c.mean_wait(), 1e-6));
  CHECK(patient.p_abandon() < 1e-6);
  CHECK_THAT(patient.utilisation(), WithinAbs(erlang_c.utilisation(), 1e-6));
  for (double t : {0.0, 0.1, 0.5, 2.0}) {
    CHECK_THAT(patient.p_wait_exceeds(t), WithinAbs(erlang_c.p_wait_exceeds(t), 1e-6));
    CHECK_THAT(patient.p_served_within(t), WithinAbs(erlang_c.service_level(t), 1e-6));
  }
}

TEST_CASE("Erlang A with 10,000 servers and long patience matches Erlang C", "[analysis][erlang]") {
  const ErlangA patient{9500.0, 1.0, 10000, 1e9};
  const ErlangC erlang_c{9500.0, 1.0, 10000};
  CHECK_THAT(patient.p_wait(), WithinRel(erlang_c.p_wait(), 1e-6));
  CHECK_THAT(patient.p_wait_exceeds(0.005), WithinRel(erlang_c.p_wait_exceeds(0.005), 1e-6));
  CHECK_THAT(patient.mean_wait(), WithinRel(erlang_c.mean_wait(), 1e-6));
}

TEST_CASE("Erlang A tends to Erlang B as patience vanishes", "[analysis][erlang]") {
  // With no patience an arrival that finds every server busy leaves at once: M/M/c/c, where
  // waiting and abandoning both have the blocking probability.
  const double lambda = GENERATE(3.0, 10.0, 30.0);
  const ErlangA impatient{lambda, 1.0, 12, 1e-9};
  const double blocking = erlang_b(12, lambda);
  CHECK_THAT(impatient.p_wait(), WithinAbs(blocking, 1e-6));
  CHECK_THAT(impatient.p_abandon(), WithinAbs(blocking, 1e-6));
  CHECK(impatient.mean_wait() < 1e-8);
  CHECK_THAT(impatient.p_served_within(0.1), WithinAbs(1.0 - blocking, 1e-6));
  CHECK_THAT(impatient.utilisation(), WithinAbs(lambda * (1.0 - blocking) / 12.0, 1e-6));
}

TEST_CASE("Erlang A stays finite at any load", "[analysis][erlang]") {
  const double load_per_server = GENERATE(1.0, 1.5, 5.0, 100.0);
  const double patience = GENERATE(0.01, 1.0, 1e3, 1e9);
  const int servers = 10;
  const double lambda = load_per_server * servers;
  const ErlangA q{lambda, 1.0, servers, patience};
  for (double figure : {q.p_wait(), q.p_abandon(), q.p_wait_exceeds(0.5), q.p_served_within(0.5),
                        q.utilisation()}) {
    CHECK(std::isfinite(figure));
    CHECK(figure >= 0.0);
    CHECK(figure <= 1.0);
  }
  CHECK(std::isfinite(q.mean_wait()));
  // Servers carry at most c mu, so at least 1 - c / a of arrivals must abandon.
  CHECK(q.p_abandon() >= 1.0 - 1.0 / load_per_server - 1e-12);
}

TEST_CASE("Erlang A with no arrivals", "[analysis][erlang]") {
  const ErlangA q{0.0, 1.0, 3, 2.0};
  CHECK(q.p_wait() == 0.0);
  CHECK(q.p_abandon() == 0.0);
  CHECK(q.p_wait_exceeds(1.0) == 0.0);
  CHECK(q.p_served_within(0.0) == 1.0);
  CHECK(q.mean_wait() == 0.0);
  CHECK(q.utilisation() == 0.0);
}

TEST_CASE("Erlang A rejects invalid input", "[analysis][erlang]") {
  CHECK_THROWS_AS((ErlangA{1.0, 1.0, 0, 1.0}.p_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{-1.0, 1.0, 2, 1.0}.p_abandon()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{1.0, 0.0, 2, 1.0}.mean_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{1.0, 1.0, 2, 0.0}.utilisation()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{1.0, 1.0, 2, infinity}.p_wait()), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{1.0, 1.0, 2, 1.0}.p_wait_exceeds(-0.1)), std::invalid_argument);
  CHECK_THROWS_AS((ErlangA{1.0, 1.0, 2, 1.0}.p_served_within(std::nan(""))), std::invalid_argument);
  CHECK_THROWS_WITH((ErlangA{1.0, 1.0, 2, -4.0}.p_wait()), Catch::Contains("mean_patience"));
}

TEST_CASE("erlang_a_required_servers returns the smallest c meeting the target",
          "[analysis][erlang]") {
  SECTION("the 80/20 example with 2-minute patience") {
    // Same demand as the Erlang C example; counting abandoned contacts as failures, 12 agents
    // serve 82.6 % within 20 seconds and 11 only 74.2 %.
    const double lambda = 100.0 / 30.0;
    const double t = 20.0 / 60.0;
    CHECK(erlang_a_required_servers(lambda, 3.0, 2.0, t, 0.8) == 12);
    CHECK_THAT((ErlangA{lambda, 3.0, 11, 2.0}.p_served_within(t)), WithinAbs(0.742208984389, 1e-9));
    CHECK_THAT((ErlangA{lambda, 3.0, 12, 2.0}.p_served_within(t)), WithinAbs(0.825582644362, 1e-9));
  }
  SECTION("c - 1 fails, c passes") {
    const double lambda = GENERATE(0.5, 12.0, 60.0);
    const double patience = GENERATE(0.5, 5.0);
    const double target = GENERATE(0.5, 0.8, 0.95);
    const double t = 0.25;
    const int c = erlang_a_required_servers(lambda, 1.0, patience, t, target);
    CHECK((ErlangA{lambda, 1.0, c, patience}.p_served_within(t)) >= target);
    if (c > 1) CHECK((ErlangA{lambda, 1.0, c - 1, patience}.p_served_within(t)) < target);
  }
  SECTION("invalid input") {
    CHECK_THROWS_AS(erlang_a_required_servers(1.0, 1.0, 1.0, 0.5, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(erlang_a_required_servers(1.0, 1.0, 0.0, 0.5, 0.8), std::invalid_argument);
    CHECK_THROWS_AS(erlang_a_required_servers(1.0, 1.0, 1.0, -0.5, 0.8), std::invalid_argument);
  }
  CHECK(erlang_a_required_servers(0.0, 1.0, 1.0, 0.5, 0.99) == 1);
}
