#include "analysis/forecast/erlang.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/log1p.hpp>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace supportsim::analysis {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------
// Input checks. Every public entry point validates before computing, so a NaN or a negative rate
// never turns into a plausible-looking probability.

[[noreturn]] void reject(const char *where, const char *field, const char *expectation,
                         double value) {
  std::ostringstream message;
  message << where << ": " << field << " must be " << expectation << " (got " << value << ")";
  throw std::invalid_argument(message.str());
}

void require_non_negative(const char *where, const char *field, double value) {
  if (!(std::isfinite(value) && value >= 0.0)) reject(where, field, "finite and >= 0", value);
}

void require_positive(const char *where, const char *field, double value) {
  if (!(std::isfinite(value) && value > 0.0)) reject(where, field, "finite and > 0", value);
}

void require_servers(const char *where, int servers) {
  if (servers < 1) reject(where, "servers", ">= 1", servers);
}

// A time threshold: +infinity is allowed (P(W > infinity) = 0), NaN and negatives are not.
void require_time(const char *where, double t) {
  if (!(t >= 0.0)) reject(where, "t", ">= 0", t);
}

void require_target(const char *where, double target) {
  if (!(target >= 0.0 && target < 1.0)) reject(where, "target", "in [0, 1)", target);
}

// The staffing searches stop here. Any target below 1 is met within a few dozen standard
// deviations (sqrt(a)) of the load, because the probability of waiting falls like a Poisson
// tail once c passes a; the bound only matters as protection against a search that never ends.
int staffing_limit(const char *where, double load) {
  const double limit = load + 50.0 * std::sqrt(load) + 100.0;
  if (limit > static_cast<double>(std::numeric_limits<int>::max()))
    reject(where, "arrival_rate * mean_service_time", "small enough for an int server count", load);
  return static_cast<int>(limit);
}

// ---------------------------------------------------------------------------------------------
// Erlang B and C.

// One step of the Erlang B recursion, B(k) from B(k - 1). erlang_b and the staffing search share
// it so that the search returns exactly the c at which ErlangC's own figures cross the target.
double erlang_b_step(double previous, double load, int k) {
  const double busy = load * previous;
  return busy / (k + busy);
}

// Erlang C from Erlang B: C = B / (1 - rho (1 - B)), rho = a / c < 1. No cancellation: the
// denominator is at least 1 - rho.
double erlang_c_from_b(double blocking, double load, int servers) {
  return blocking / (1.0 - load / servers * (1.0 - blocking));
}

// P(W > t) = C exp(-(c mu - lambda) t) for a stable M/M/c; (c - a) / s is c mu - lambda.
double erlang_c_tail(double wait_probability, double load, int servers, double mean_service,
                     double t) {
  return wait_probability * std::exp(-(servers - load) / mean_service * t);
}

// ---------------------------------------------------------------------------------------------
// Erlang A (M/M/c+M).
//
// Following Mandelbaum & Zeltyn (2007), everything follows from the offered wait V, the wait an
// arrival would have with infinite patience. With mu = 1 / mean service, theta = 1 / mean
// patience and pi_c the stationary probability of exactly c in system, V has an atom at 0 and on
// (0, inf) the density
//
//   f_V(s) = pi_c c mu exp(h(s)),   h(s) = -c mu s + (lambda / theta) (1 - exp(-theta s)).
//
// (Sum, over the number m already waiting, of pi_{c+m} times the density of a sum of
// exponentials with rates c mu + j theta, j = m..0: the series collapses to this exponential.)
// Writing A = c mu int_0^inf exp(h) and D = sum_{k<c} pi_k / pi_c, so that pi_c = 1 / (D + A):
//
//   P(W > 0)             = A / (D + A)
//   P(W > t)             = pi_c c mu exp(-theta t) int_t^inf exp(h)          (W = min(V, tau))
//   P(Ab) = P(tau < V)   = pi_c c mu int_0^inf (1 - exp(-theta s)) exp(h(s)) ds
//   P(served, W <= t)    = P(V = 0) + pi_c c mu int_0^t exp(-theta s) exp(h(s)) ds
//   E[W] = E[min(V,tau)] = P(Ab) / theta
//
// A is also x e^y y^-x gamma(x, y) with x = c mu / theta, y = lambda / theta (lower incomplete
// gamma), M&Z's closed form. We integrate the density instead: the incomplete gamma of a huge
// first argument (long patience, many servers) is slow or fails in Boost near x = y, while h is
// concave, so exp(h) is a single smooth bump that fixed-order Gauss-Legendre panels sized to its
// local width integrate to near machine precision in a few hundred evaluations, at any load and
// patience. Every integrand is positive, so no result is a difference of nearly equal numbers,
// which matters as patience grows: P(Ab) and E[W] then come from (1 - exp(-theta s)), not from
// 1 - P(served).

// log(1 + e^v) without overflow.
double softplus(double v) {
  return v > 0.0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
}

// One step of log D_k, D_k = sum_{j<k} (a^j / j!) / (a^k / k!) = (k / a)(D_{k-1} + 1), D_0 = 0,
// so 1 / ErlangB(k, a) = 1 + D_k. In logs because D overflows when c is far above a. With no
// arrivals every lower state outweighs state c infinitely.
double log_lower_states_step(double previous, double load, int k) {
  if (load == 0.0) return infinity;
  return std::log(k / load) + softplus(previous);
}

// e^-v - 1 + v, accurately for small |v| where expm1(-v) + v cancels.
double exp_minus_linear(double v) {
  if (std::abs(v) > 0.5) return std::expm1(-v) + v;
  // Taylor series sum_{k>=2} (-v)^k / k!; at |v| <= 0.5, 18 terms reach 1e-17 relative.
  double term = v * v / 2.0;
  double sum = term;
  for (int k = 3; k <= 20; ++k) {
    term *= -v / k;
    sum += term;
  }
  return sum;
}

class PalmQueue {
public:
  /// `log_lower_states` is log D_c (see log_lower_states_step).
  PalmQueue(double arrival_rate, double mean_service_time, int servers, double mean_patience,
            double log_lower_states)
      : lambda_(arrival_rate), c_mu_(servers / mean_service_time), theta_(1.0 / mean_patience) {
    // h'(s) = lambda exp(-theta s) - c mu: h peaks at s* = log(lambda / c mu) / theta when
    // lambda > c mu (overload: the offered wait's mode is positive), at 0 otherwise. There
    // h(s*) = (c mu / theta) (r - 1 - log r), r = lambda / c mu, written so it does not cancel.
    double log_peak_height = 0.0;
    if (lambda_ > c_mu_) {
      const double excess = (lambda_ - c_mu_) / c_mu_;
      peak_ = std::log1p(excess) / theta_;
      log_peak_height = -c_mu_ / theta_ * boost::math::log1pmx(excess);
    }
    whole_ = integrate(0.0, infinity);
    const double log_a = std::log(c_mu_) + log_peak_height + std::log(whole_.plain);
    p_wait_ = 1.0 / (1.0 + std::exp(log_lower_states - log_a));
    p_immediate_ = 1.0 / (1.0 + std::exp(log_a - log_lower_states));
  }

  double p_wait() const { return p_wait_; }
  double p_abandon() const { return p_wait_ * whole_.abandoned / whole_.plain; }

  double p_wait_exceeds(double t) const {
    if (t == 0.0) return p_wait_;
    if (t == infinity) return 0.0;
    const Integrals tail = integrate(t, infinity);
    return p_wait_ * std::exp(tail.log_scale - theta_ * t) * tail.plain / whole_.plain;
  }

  double p_served_within(double t) const {
    if (t == 0.0) return p_immediate_;
    const Integrals head = integrate(0.0, t);
    const double waited = p_wait_ * std::exp(head.log_scale) * head.served / whole_.plain;
    return std::min(1.0, p_immediate_ + waited);
  }

  /// p_served_within at each of `ts`, which must be ascending: the integral from 0 is
  /// accumulated piece by piece, so the mass near the peak is integrated once, not per target.
  void p_served_within_ascending(std::span<const double> ts, std::span<double> out) const {
    double served = 0.0, from = 0.0; // the integral so far, relative to exp(h(s*))
    for (std::size_t i = 0; i < ts.size(); ++i) {
      if (ts[i] == 0.0) {
        out[i] = p_immediate_;
        continue;
      }
      // Past the peak, once the density has fallen e^-60 below it, nothing more adds up.
      if (!(from > peak_ && h_step(peak_, from - peak_) < -60.0)) {
        const Integrals piece = integrate(from, ts[i]);
        served += std::exp(piece.log_scale) * piece.served;
        from = ts[i];
      }
      out[i] = std::min(1.0, p_immediate_ + p_wait_ * served / whole_.plain);
    }
  }

private:
  // int exp(h(s) - h(s*)) w(s) ds over an interval, for the weights w = 1, exp(-theta s) (served
  // before abandoning) and 1 - exp(-theta s) (abandoned first), with the integrand taken
  // relative to its maximum on the interval, h(p), whose offset h(p) - h(s*) <= 0 is log_scale.
  struct Integrals {
    double log_scale = 0.0;
    double plain = 0.0;
    double served = 0.0;
    double abandoned = 0.0;
  };

  // h(from + d) - h(from), exact in form for any d: -(c mu - lambda_f) d - (lambda_f / theta)
  // (e^{-theta d} - 1 + theta d), lambda_f = lambda e^{-theta from} the arrival rate that
  // survives patience from `from` on. Differences of h itself would cancel: h(s*) can be 1e8.
  double h_step(double from, double d) const {
    const double surviving = lambda_ * std::exp(-theta_ * from);
    return -(c_mu_ - surviving) * d - surviving / theta_ * exp_minus_linear(theta_ * d);
  }

  // The distance over which the integrands change by a factor e near s. For exp(h) that is
  // 1 / max(|h'|, sqrt(|h''|)); but e^{-theta s}, in the weights and in h itself, also moves on
  // the scale 1 / theta until it has died out (e^-50), which is what sets the width when
  // patience is short compared with the wait.
  double local_width(double s) const {
    const double surviving = lambda_ * std::exp(-theta_ * s);
    double rate = std::max(std::abs(surviving - c_mu_), std::sqrt(theta_ * surviving));
    if (theta_ * s < 50.0) rate = std::max(rate, theta_);
    return 1.0 / rate;
  }

  Integrals integrate(double lo, double hi) const {
    Integrals result;
    const double p = std::clamp(peak_, lo, hi); // h is concave: its maximum on [lo, hi]
    result.log_scale = h_step(peak_, p - peak_);
    march(p, hi - p, result);
    march(p, lo - p, result);
    return result;
  }

  // Integrates from p over signed distances d in [0, reach] (or [reach, 0]), away from the peak,
  // in Gauss-Legendre panels a few local widths wide, until the interval ends or exp(h) has
  // fallen below e^-60 of its value at p. Concavity makes that fall monotone, and bounds how fast
  // the integrand can change within a panel: at most about e^-24 across one, which 20 nodes
  // integrate to about 1e-16.
  void march(double p, double reach, Integrals &sums) const {
    using Rule = boost::math::quadrature::gauss<double, 20>;
    constexpr double panel_widths = 6.0;
    constexpr double negligible = -60.0;
    const double direction = reach < 0.0 ? -1.0 : 1.0;
    const double length = std::abs(reach);
    double done = 0.0;
    while (done < length) {
      const double start = p + direction * done;
      // The width at the far end too: towards s = 0, h'' grows and the bump narrows. The far
      // end stays inside the interval, where s >= 0 keeps the width positive.
      const double remaining = length - done;
      const double first_guess = std::min(panel_widths * local_width(start), remaining);
      const double width =
          std::min(first_guess, panel_widths * local_width(start + direction * first_guess));
      const double half = width / 2.0;
      const double middle = done + half;
      for (std::size_t i = 0; i < Rule::abscissa().size(); ++i) {
        for (double side : {-1.0, 1.0}) {
          // Rule::abscissa()[0] is 0 only for odd orders; 20 has no centre node.
          const double d = direction * (middle + side * half * Rule::abscissa()[i]);
          const double s = p + d;
          const double density = Rule::weights()[i] * half * std::exp(h_step(p, d));
          sums.plain += density;
          sums.served += density * std::exp(-theta_ * s);
          sums.abandoned += density * -std::expm1(-theta_ * s);
        }
      }
      done += width;
      if (h_step(p, direction * done) < negligible) break;
    }
  }

  double lambda_;
  double c_mu_;
  double theta_;
  double peak_ = 0.0;
  Integrals whole_;
  double p_wait_ = 0.0;
  double p_immediate_ = 0.0;
};

void require_erlang_a(const char *where, double arrival_rate, double mean_service_time, int servers,
                      double mean_patience) {
  require_non_negative(where, "arrival_rate", arrival_rate);
  require_positive(where, "mean_service_time", mean_service_time);
  require_servers(where, servers);
  require_positive(where, "mean_patience", mean_patience);
}

PalmQueue make_palm_queue(const ErlangA &q, const char *where) {
  require_erlang_a(where, q.arrival_rate, q.mean_service_time, q.servers, q.mean_patience);
  const double load = q.arrival_rate * q.mean_service_time;
  double log_lower_states = -infinity;
  for (int k = 1; k <= q.servers; ++k)
    log_lower_states = log_lower_states_step(log_lower_states, load, k);
  return PalmQueue(q.arrival_rate, q.mean_service_time, q.servers, q.mean_patience,
                   log_lower_states);
}

} // namespace

// ---------------------------------------------------------------------------------------------

double erlang_b(int servers, double offered_load) {
  if (servers < 0) reject("erlang_b", "servers", ">= 0", servers);
  require_non_negative("erlang_b", "offered_load", offered_load);
  double blocking = 1.0;
  for (int k = 1; k <= servers; ++k)
    blocking = erlang_b_step(blocking, offered_load, k);
  return blocking;
}

namespace {

double validated_load(const ErlangC &q, const char *where) {
  require_non_negative(where, "arrival_rate", q.arrival_rate);
  require_positive(where, "mean_service_time", q.mean_service_time);
  require_servers(where, q.servers);
  return q.arrival_rate * q.mean_service_time;
}

} // namespace

double ErlangC::offered_load() const {
  return validated_load(*this, "ErlangC::offered_load");
}

double ErlangC::utilisation() const {
  return validated_load(*this, "ErlangC::utilisation") / servers;
}

double ErlangC::p_wait() const {
  const double load = validated_load(*this, "ErlangC::p_wait");
  if (load >= servers) return 1.0;
  return erlang_c_from_b(erlang_b(servers, load), load, servers);
}

double ErlangC::p_wait_exceeds(double t) const {
  const double load = validated_load(*this, "ErlangC::p_wait_exceeds");
  require_time("ErlangC::p_wait_exceeds", t);
  if (load >= servers) return 1.0;
  return erlang_c_tail(p_wait(), load, servers, mean_service_time, t);
}

double ErlangC::mean_wait() const {
  const double load = validated_load(*this, "ErlangC::mean_wait");
  if (load >= servers) return infinity;
  // E[W] = C / (c mu - lambda) = C s / (c - a).
  return p_wait() * mean_service_time / (servers - load);
}

double ErlangC::service_level(double t) const {
  return 1.0 - p_wait_exceeds(t);
}

double ErlangC::wait_quantile(double p) const {
  const double load = validated_load(*this, "ErlangC::wait_quantile");
  if (!(p >= 0.0 && p <= 1.0)) reject("ErlangC::wait_quantile", "p", "in [0, 1]", p);
  const double wait_probability = p_wait();
  if (wait_probability <= 1.0 - p) return 0.0;
  if (load >= servers || p == 1.0) return infinity;
  // Solve C exp(-(c mu - lambda) t) = 1 - p.
  return std::log(wait_probability / (1.0 - p)) * mean_service_time / (servers - load);
}

int erlang_c_required_servers(double arrival_rate, double mean_service_time, double t,
                              double target) {
  constexpr const char *where = "erlang_c_required_servers";
  require_non_negative(where, "arrival_rate", arrival_rate);
  require_positive(where, "mean_service_time", mean_service_time);
  require_time(where, t);
  require_target(where, target);
  const double load = arrival_rate * mean_service_time;
  const int limit = staffing_limit(where, load);
  // B(c) carried along instead of recomputed: the whole search costs one pass of the recursion.
  double blocking = 1.0;
  for (int c = 1; c <= limit; ++c) {
    blocking = erlang_b_step(blocking, load, c);
    if (load >= c) continue;
    const double wait_probability = erlang_c_from_b(blocking, load, c);
    if (1.0 - erlang_c_tail(wait_probability, load, c, mean_service_time, t) >= target) return c;
  }
  throw std::domain_error("erlang_c_required_servers: no staffing level meets the target");
}

double ErlangA::p_wait() const {
  return make_palm_queue(*this, "ErlangA::p_wait").p_wait();
}

double ErlangA::p_abandon() const {
  return make_palm_queue(*this, "ErlangA::p_abandon").p_abandon();
}

double ErlangA::p_wait_exceeds(double t) const {
  require_time("ErlangA::p_wait_exceeds", t);
  return make_palm_queue(*this, "ErlangA::p_wait_exceeds").p_wait_exceeds(t);
}

double ErlangA::p_served_within(double t) const {
  require_time("ErlangA::p_served_within", t);
  return make_palm_queue(*this, "ErlangA::p_served_within").p_served_within(t);
}

void ErlangA::p_served_within(std::span<const double> ts, std::span<double> out) const {
  const PalmQueue queue = make_palm_queue(*this, "ErlangA::p_served_within");
  for (const double t : ts)
    require_time("ErlangA::p_served_within", t);
  // The distinct targets in ascending order, integrated in one pass.
  std::vector<double> ascending(ts.begin(), ts.end());
  std::sort(ascending.begin(), ascending.end());
  ascending.erase(std::unique(ascending.begin(), ascending.end()), ascending.end());
  std::vector<double> values(ascending.size());
  queue.p_served_within_ascending(ascending, values);
  for (std::size_t i = 0; i < ts.size(); ++i)
    out[i] = values[static_cast<std::size_t>(
        std::lower_bound(ascending.begin(), ascending.end(), ts[i]) - ascending.begin())];
}

double ErlangA::mean_wait() const {
  return make_palm_queue(*this, "ErlangA::mean_wait").p_abandon() * mean_patience;
}

double ErlangA::utilisation() const {
  const double p_abandon = make_palm_queue(*this, "ErlangA::utilisation").p_abandon();
  // Exactly below 1, but in heavy overload P(Ab) sits within rounding of 1 - c / a.
  return std::min(1.0, arrival_rate * (1.0 - p_abandon) * mean_service_time / servers);
}

int erlang_a_required_servers(double arrival_rate, double mean_service_time, double mean_patience,
                              double t, double target) {
  constexpr const char *where = "erlang_a_required_servers";
  require_erlang_a(where, arrival_rate, mean_service_time, 1, mean_patience);
  require_time(where, t);
  require_target(where, target);
  const double load = arrival_rate * mean_service_time;
  const int limit = staffing_limit(where, load);
  double log_lower_states = -infinity;
  for (int c = 1; c <= limit; ++c) {
    log_lower_states = log_lower_states_step(log_lower_states, load, c);
    // c servers serve at most c mu, so the share served (within t or not) is at most c / a:
    // below target * a no c can qualify, and skipping those saves the integrals. The margin keeps
    // rounding from skipping a c that ErlangA's own figures would accept.
    if (c < target * load * (1.0 - 1e-9)) continue;
    const PalmQueue queue(arrival_rate, mean_service_time, c, mean_patience, log_lower_states);
    if (queue.p_served_within(t) >= target) return c;
  }
  throw std::domain_error("erlang_a_required_servers: no staffing level meets the target");
}

} // namespace supportsim::analysis
