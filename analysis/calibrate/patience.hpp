#pragma once
// Patience from censored waits, for `supportsim calibrate`: a customer who abandoned after
// waiting w had patience w; a customer answered after waiting w had patience longer than w (a
// right-censored observation). Kaplan-Meier, the exponential MLE and a censored Weibull MLE;
// the naive mean of abandoned customers' waits only to show how wrong it is. Every formula is
// in docs/calibrate.md.

#include "analysis/calibrate/fit_distribution.hpp"

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace supportsim::analysis {

/// One queued customer: how long they waited, and whether the wait ended in abandonment (their
/// patience ran out) or not (answered, or still waiting when the history ends: censored).
struct QueuedWait {
  double wait_minutes = 0.0;
  bool abandoned = false;
};

/// One step of the Kaplan-Meier estimate, at a time when someone abandoned.
struct SurvivalStep {
  double minutes = 0.0;      ///< the abandonment time
  std::size_t at_risk = 0;   ///< still waiting just before it (censored at this time included)
  std::size_t abandoned = 0; ///< abandonments at this time
  double survival = 1.0;     ///< P(patience > minutes) after the step
};

/// The Kaplan-Meier (product-limit) estimate of P(patience > t).
struct KaplanMeier {
  std::vector<SurvivalStep> steps; ///< in increasing time, one per distinct abandonment time
  double last_minutes = 0.0;       ///< the longest wait observed (abandoned or not)
  /// The mean of min(patience, last_minutes): the area under the estimate up to the longest
  /// wait. It is the mean patience itself only when the estimate reaches 0 (`complete`).
  double restricted_mean = NAN;
  bool complete = false; ///< the estimate reaches 0: the longest wait ended in abandonment
  double median = NAN;   ///< the first time the estimate is <= 1/2; NaN when it never is
};

/// P(patience > minutes) by the estimate: 1 before the first step, the last step's value after
/// it (beyond last_minutes the estimate says nothing: the value is only a bound).
double survival_at(const KaplanMeier &km, double minutes);

/// Patience estimated from queued customers' waits.
struct PatienceFit {
  std::size_t n = 0;         ///< waits used (finite, >= 0)
  std::size_t abandoned = 0; ///< of which ended in abandonment (events)
  std::size_t left_out = 0;  ///< negative or non-finite waits, left out (and warned about)
  double total_wait_minutes = 0.0;
  KaplanMeier kaplan_meier;
  /// Exponential MLE: abandonments / total waiting time is the rate, so the mean patience is
  /// total waiting time / abandonments; its standard error is mean / sqrt(abandonments).
  double exponential_mean = NAN;
  double exponential_mean_se = NAN;
  /// The fitted families (exponential and Weibull), each with its censored log-likelihood, AIC,
  /// and as `ks_distance` the largest gap between its survival and the Kaplan-Meier estimate,
  /// over the times at which at least 1 % of the queued customers (and at least 20) still wait.
  std::vector<FamilyFit> families;
  std::optional<Family> chosen; ///< by AIC
  std::optional<sim::Distribution> distribution;
  /// Mean wait of the customers who abandoned. Biased low (only the impatient abandon before
  /// being served); here only to show by how much. Never use it.
  double naive_mean = NAN;
  std::vector<std::string> warnings; ///< named, one line each
};

/// Fits patience to `waits`. One sort (for Kaplan-Meier) and a few passes (for the Weibull);
/// 1,000,000 waits in well under a second.
///
///   PatienceFit p = fit_patience(phone_waits);
///   if (p.distribution) lifecycle.patience_minutes[phone] = *p.distribution;
PatienceFit fit_patience(std::vector<QueuedWait> waits);

/// The Kaplan-Meier estimate of `waits` (sorted in place: by time, abandonments before
/// censorings at equal times, so a customer answered at t counts as still at risk at t).
KaplanMeier kaplan_meier(std::vector<QueuedWait> &waits);

} // namespace supportsim::analysis
