#pragma once

// Analytic queueing formulas the simulator is validated against, and which a capacity plan can
// use directly: Erlang B (M/M/c/c), Erlang C (M/M/c) and Erlang A (M/M/c+M, Palm's queue with
// exponential patience).
//
// Units: the caller picks one time unit (minutes, say) and uses it for every rate and every time
// below. An arrival rate is then "per minute", a mean service time, a patience, a threshold t and
// every returned wait are "minutes". Offered loads are in Erlangs (dimensionless).
//
// Waits are times in queue, from arrival to the start of service (or to abandonment, for Erlang
// A), not including service. Probabilities are over arrivals in steady state (PASTA).
//
// Every function validates its inputs and throws std::invalid_argument, naming the offending
// field, for a negative or non-finite rate or time, a non-positive mean service time or patience,
// fewer than one server, or a probability outside its range.

#include <span>

namespace supportsim::analysis {

/// M/M/c (Erlang C): Poisson arrivals at `arrival_rate`, exponential service with mean
/// `mean_service_time`, `servers` identical servers, first come first served, infinite patience.
///
/// When the offered load reaches the number of servers (a >= c) the queue grows without bound:
/// every arrival waits, and waits are infinite.
///
/// Example: 100 contacts per 30 minutes, 3-minute handling, 14 agents:
/// `ErlangC{100.0 / 30, 3.0, 14}.service_level(20.0 / 60)` is about 0.888 (88.8 % answered
/// within 20 seconds).
struct ErlangC {
  double arrival_rate;      ///< arrivals per time unit, >= 0
  double mean_service_time; ///< time units, > 0
  int servers;              ///< >= 1

  /// a = arrival_rate * mean_service_time, in Erlangs (the mean number of busy servers when
  /// the system is stable).
  double offered_load() const;
  /// a / c. At or above 1 the system is unstable.
  double utilisation() const;
  /// P(W > 0), the Erlang C formula; 1 when a >= c.
  double p_wait() const;
  /// P(W > t) = C * exp(-(c mu - lambda) t), mu = 1 / mean_service_time; 1 when a >= c.
  double p_wait_exceeds(double t) const;
  /// E[W] = C / (c mu - lambda); +infinity when a >= c.
  double mean_wait() const;
  /// P(W <= t), the share answered within t (0 when a >= c).
  double service_level(double t) const;
  /// The smallest t with P(W <= t) >= p, for p in [0, 1]: 0 when C <= 1 - p, +infinity when no
  /// finite t reaches p (p = 1 with C > 0, or a >= c with p > 0).
  double wait_quantile(double p) const;
};

/// Erlang B: the probability that an arrival finds all `servers` busy in M/M/c/c (blocked
/// arrivals are lost), for an offered load in Erlangs. Computed with the recursion
/// B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), which never forms a factorial or a power, so it
/// is stable for tens of thousands of servers. servers = 0 gives 1; a = 0 gives 0 (c >= 1).
double erlang_b(int servers, double offered_load);

/// The smallest c with a < c and ErlangC{arrival_rate, mean_service_time, c}.service_level(t)
/// >= target, for target in [0, 1). At least 1, even with no arrivals.
///
/// Example: `erlang_c_required_servers(100.0 / 30, 3.0, 20.0 / 60, 0.8)` is 14.
int erlang_c_required_servers(double arrival_rate, double mean_service_time, double t,
                              double target);

/// M/M/c+M (Erlang A, Palm's queue): as ErlangC, but each waiting arrival abandons after an
/// exponential patience with mean `mean_patience` if service has not started by then.
///
/// Stable at any load, including a >= c: abandonment bounds the queue. The wait W of an arrival
/// is min(V, tau): V the offered wait (how long it would wait with infinite patience) and tau its
/// patience. Formulas after Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to
/// call centers" (2007): every figure is an integral of their density of V, evaluated by
/// quadrature in a form that neither overflows nor loses precision for very short or very long
/// patience, heavy overload, or thousands of servers. Each call costs O(c) plus a quadrature of a
/// few hundred points (microseconds).
struct ErlangA {
  double arrival_rate;      ///< arrivals per time unit, >= 0
  double mean_service_time; ///< time units, > 0
  int servers;              ///< >= 1
  double mean_patience;     ///< time units, > 0 and finite (infinite patience is ErlangC)

  /// P(W > 0): the probability that an arrival finds all servers busy and must queue.
  double p_wait() const;
  /// P(Ab): the probability that an arrival abandons before service.
  double p_abandon() const;
  /// P(W > t), W = min(V, patience): still in queue at t, whether later served or abandoning.
  double p_wait_exceeds(double t) const;
  /// P(served and W <= t) = P(V <= t and V <= patience): the share of all arrivals (abandoning
  /// ones included in the denominator) whose service starts within t.
  double p_served_within(double t) const;
  /// p_served_within at each of `ts`, into `out` (same size): the queue's state is computed
  /// once, so many targets cost little more than one.
  void p_served_within(std::span<const double> ts, std::span<double> out) const;
  /// E[W] over all arrivals; abandoning arrivals count their time in queue. Equals
  /// P(Ab) * mean_patience (abandonment rate theta times E[queue length] equals lambda P(Ab)).
  double mean_wait() const;
  /// Served load per server: lambda (1 - P(Ab)) mean_service_time / c, below 1 at any load.
  double utilisation() const;
};

/// The smallest c >= 1 with ErlangA{arrival_rate, mean_service_time, c, mean_patience}
/// .p_served_within(t) >= target, for target in [0, 1).
int erlang_a_required_servers(double arrival_rate, double mean_service_time, double mean_patience,
                              double t, double target);

} // namespace supportsim::analysis
