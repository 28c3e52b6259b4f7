#pragma once
// Handle-time fits for `supportsim calibrate`: maximum-likelihood fits of the four families a
// scenario holds (exponential, lognormal, gamma, Weibull) to observed minutes, each with its
// log-likelihood, AIC and Kolmogorov-Smirnov distance, the family chosen by AIC, and the
// empirical alternative. Every formula is in docs/calibrate.md.

#include "sim/distribution.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::analysis {

/// The parametric families a scenario's distributions can be fitted as.
enum class Family : std::uint8_t { exponential = 0, lognormal = 1, gamma = 2, weibull = 3 };
inline constexpr std::size_t family_count = 4;
inline constexpr std::array<std::string_view, family_count> family_names{"exponential", "lognormal",
                                                                         "gamma", "weibull"};
constexpr std::string_view name_of(Family f) {
  return family_names[static_cast<std::size_t>(f)];
}

/// One family fitted by maximum likelihood to a sample (or to censored data: then `ks_distance`
/// is the largest gap between the fitted survival and the Kaplan-Meier estimate).
struct FamilyFit {
  Family family = Family::exponential;
  /// The fitted distribution in the scenario's own parameters (lognormal and gamma as mean and
  /// cv); empty when the family could not be fitted (then `problem` says why).
  std::optional<sim::Distribution> distribution;
  std::size_t parameters = 0;  ///< free parameters k in AIC = 2k - 2 log L
  double log_likelihood = NAN; ///< at the maximum, densities in minutes^-1
  double aic = NAN;            ///< Akaike's information criterion: lower is better
  double ks_distance = NAN;    ///< sup |F_n(x) - F(x)| over the sample
  std::string problem;         ///< why there is no fit, or why it is outside the scenario's range
};

/// How to fit.
struct FitOptions {
  /// Fewer positive observations than this: only the exponential is fitted (one parameter), and
  /// a warning says so. Below 2 nothing but the exponential's mean can be estimated anyway.
  std::size_t min_sample = 20;
  /// Return the empirical distribution (the observations themselves) instead of the family
  /// chosen by AIC; the families are still fitted and reported.
  bool empirical = false;
  /// The empirical distribution keeps at most this many values: beyond it, evenly spaced
  /// quantiles of the sample (order statistics at (i + 1/2) / m), and a warning. 0: no limit.
  std::size_t empirical_max_values = 10'000;
};

/// Observed handle times fitted. Non-positive and non-finite observations cannot come from any
/// of the families: they are counted, left out, and named in `warnings`.
struct HandleTimeFit {
  std::size_t n = 0;               ///< positive, finite observations used
  std::size_t zeros = 0;           ///< observations equal to 0, left out
  std::size_t negatives = 0;       ///< observations below 0, left out
  std::size_t non_finite = 0;      ///< NaN or infinite observations, left out
  double mean = NAN;               ///< of the observations used, minutes
  double cv = NAN;                 ///< sample sd / mean
  double median = NAN;             ///< minutes
  std::vector<FamilyFit> families; ///< every family fitted, in Family order
  std::optional<Family> chosen;    ///< the usable family with the lowest AIC
  /// What a scenario should hold: the chosen family, or the empirical distribution when asked
  /// for; empty when nothing could be fitted (no positive observation).
  std::optional<sim::Distribution> distribution;
  bool empirical = false;            ///< `distribution` is the empirical one
  std::vector<std::string> warnings; ///< named, one line each
};

/// Fits `minutes` (taken by value: it is sorted in place, once). Fast: one sort and a few passes
/// over the sample per family (1,000,000 observations in well under a second).
///
///   HandleTimeFit fit = fit_handle_times(phone_minutes);
///   if (fit.distribution) lifecycle.work_minutes[phone] = *fit.distribution;
HandleTimeFit fit_handle_times(std::vector<double> minutes, const FitOptions &options = {});

/// The fitted family with this name, or nullptr when it was not fitted.
const FamilyFit *find_family(const std::vector<FamilyFit> &families, Family family);

/// Maximum-likelihood Weibull shape and scale from right-censored data, the shared core of the
/// handle-time and patience fits (uncensored data: every observation an event). The data are
/// the logarithms of the positive times (events and censorings), with the sum of the events'
/// logarithms and their number. Solves the profile-likelihood equation in the shape,
///   sum t^k log t / sum t^k - 1/k - (1/d) sum_events log t = 0,
/// by Newton's method kept inside a bracket (the left side increases with k), then
/// scale = (sum t^k / d)^(1/k).
struct WeibullMle {
  double shape = NAN, scale = NAN;
  double log_likelihood = NAN;
  std::string problem; ///< non-empty when there is no finite maximum
};
WeibullMle weibull_mle(const std::vector<double> &log_times, double sum_log_events,
                       std::size_t events);

/// The Weibull cumulative distribution function, 1 - exp(-(x / scale)^shape).
double weibull_cdf(double x, double shape, double scale);

} // namespace supportsim::analysis
