#include "analysis/calibrate/fit_distribution.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <fmt/format.h>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace supportsim::analysis {

namespace {

// Boost.Math promotes doubles to long double by default: slower, and no more accurate than a
// maximum-likelihood estimate needs.
using FastMath = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// The ranges a scenario accepts (scenarios/schema.json): a fit outside them is reported but
// cannot be written, so it is not chosen.
constexpr double max_cv = 20.0;
constexpr double min_weibull_shape = 0.05, max_weibull_shape = 100.0;
constexpr double max_minutes = 1e7;

double aic_of(double log_likelihood, std::size_t parameters) {
  return 2.0 * static_cast<double>(parameters) - 2.0 * log_likelihood;
}

/// sup |F_n - F| over a sorted sample: at the i-th order statistic (1-based) the empirical CDF
/// jumps from (i-1)/n to i/n. With ties the largest gap is found at the first and last of them.
template <class Cdf> double ks_distance(const std::vector<double> &sorted, Cdf cdf) {
  const double n = static_cast<double>(sorted.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf(sorted[i]);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}

/// Marks a fit unusable when its parameters are outside what a scenario can hold.
void check_range(FamilyFit &fit, double mean, double cv) {
  if (!(mean > 0.0 && mean <= max_minutes))
    fit.problem = fmt::format("mean {:.6g} min is outside the scenario's range (0, 1e7]", mean);
  else if (!(cv > 0.0 && cv <= max_cv))
    fit.problem = fmt::format("cv {:.6g} is outside the scenario's range (0, 20]", cv);
}

FamilyFit fit_exponential(const std::vector<double> &sorted, double mean) {
  const double n = static_cast<double>(sorted.size());
  FamilyFit f;
  f.family = Family::exponential;
  f.parameters = 1;
  f.log_likelihood = -n * std::log(mean) - n;
  f.aic = aic_of(f.log_likelihood, f.parameters);
  f.ks_distance = ks_distance(sorted, [&](double x) { return -std::expm1(-x / mean); });
  check_range(f, mean, 1.0);
  if (f.problem.empty()) f.distribution = sim::Distribution::exponential(mean);
  return f;
}

FamilyFit fit_lognormal(const std::vector<double> &sorted, const std::vector<double> &logs,
                        double mean_log) {
  const double n = static_cast<double>(sorted.size());
  FamilyFit f;
  f.family = Family::lognormal;
  f.parameters = 2;
  double ss = 0.0;
  for (double y : logs)
    ss += (y - mean_log) * (y - mean_log);
  const double s2 = ss / n; // the MLE divides by n, not n - 1
  if (!(s2 > 0.0)) {
    f.problem = "every observation is the same: no spread to fit";
    return f;
  }
  const double s = std::sqrt(s2);
  f.log_likelihood =
      -n * mean_log - n * std::log(s) - 0.5 * n * std::log(2.0 * std::numbers::pi) - 0.5 * n;
  f.aic = aic_of(f.log_likelihood, f.parameters);
  f.ks_distance = ks_distance(sorted, [&](double x) {
    return 0.5 * std::erfc(-(std::log(x) - mean_log) / (s * std::numbers::sqrt2));
  });
  const double mean = std::exp(mean_log + s2 / 2.0), cv = std::sqrt(std::expm1(s2));
  check_range(f, mean, cv);
  if (f.problem.empty()) f.distribution = sim::Distribution::lognormal(mean, cv);
  return f;
}

/// Gamma shape k from log k - digamma(k) = log(mean) - mean(log x) = s (Minka 2002's starting
/// point, then Newton's method; the left side falls from +inf to 0, so the root is unique).
double gamma_shape(double s) {
  double k = (3.0 - s + std::sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s);
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double f = std::log(k) - boost::math::digamma(k, FastMath()) - s;
    const double slope = 1.0 / k - boost::math::trigamma(k, FastMath()); // < 0
    double next = k - f / slope;
    if (!(next > 0.0)) next = k / 2.0; // stay in the domain
    const bool done = std::abs(next - k) <= 1e-12 * k;
    k = next;
    if (done) break;
  }
  return k;
}

FamilyFit fit_gamma(const std::vector<double> &sorted, double mean, double mean_log) {
  const double n = static_cast<double>(sorted.size());
  FamilyFit f;
  f.family = Family::gamma;
  f.parameters = 2;
  const double s = std::log(mean) - mean_log; // >= 0 by Jensen's inequality
  if (!(s > 1e-14)) {
    f.problem = "every observation is the same: no spread to fit";
    return f;
  }
  const double k = gamma_shape(s), theta = mean / k;
  f.log_likelihood = (k - 1.0) * n * mean_log - n * k - n * k * std::log(theta) -
                     n * std::lgamma(k); // sum x / theta = n k at the maximum
  f.aic = aic_of(f.log_likelihood, f.parameters);
  f.ks_distance =
      ks_distance(sorted, [&](double x) { return boost::math::gamma_p(k, x / theta, FastMath()); });
  check_range(f, mean, 1.0 / std::sqrt(k));
  if (f.problem.empty()) f.distribution = sim::Distribution::gamma(mean, 1.0 / std::sqrt(k));
  return f;
}

FamilyFit fit_weibull(const std::vector<double> &sorted, const std::vector<double> &logs,
                      double mean_log) {
  FamilyFit f;
  f.family = Family::weibull;
  f.parameters = 2;
  const double n = static_cast<double>(sorted.size());
  const WeibullMle mle = weibull_mle(logs, n * mean_log, sorted.size());
  if (!mle.problem.empty()) {
    f.problem = mle.problem;
    return f;
  }
  f.log_likelihood = mle.log_likelihood;
  f.aic = aic_of(f.log_likelihood, f.parameters);
  f.ks_distance =
      ks_distance(sorted, [&](double x) { return weibull_cdf(x, mle.shape, mle.scale); });
  if (mle.shape < min_weibull_shape || mle.shape > max_weibull_shape)
    f.problem = fmt::format("shape {:.6g} is outside the scenario's range [0.05, 100]", mle.shape);
  else if (!(mle.scale <= max_minutes))
    f.problem = fmt::format("scale {:.6g} min is outside the scenario's range (0, 1e7]", mle.scale);
  else
    f.distribution = sim::Distribution::weibull(mle.shape, mle.scale);
  return f;
}

/// The sample itself, or evenly spaced quantiles of it when it is larger than `max_values`.
std::vector<double> empirical_values(const std::vector<double> &sorted, std::size_t max_values) {
  if (max_values == 0 || sorted.size() <= max_values) return sorted;
  std::vector<double> values(max_values);
  const double n = static_cast<double>(sorted.size()), m = static_cast<double>(max_values);
  for (std::size_t i = 0; i < max_values; ++i) {
    const auto at = static_cast<std::size_t>((static_cast<double>(i) + 0.5) / m * n);
    values[i] = sorted[std::min(at, sorted.size() - 1)];
  }
  return values;
}

} // namespace

double weibull_cdf(double x, double shape, double scale) {
  return x <= 0.0 ? 0.0 : -std::expm1(-std::pow(x / scale, shape));
}

WeibullMle weibull_mle(const std::vector<double> &log_times, double sum_log_events,
                       std::size_t events) {
  WeibullMle out;
  if (events == 0) {
    out.problem = "no events: the Weibull likelihood has no maximum";
    return out;
  }
  const double d = static_cast<double>(events);
  // Times relative to the largest, y = log t - max log t <= 0, so t^k never overflows.
  const double top = *std::max_element(log_times.begin(), log_times.end());
  const double mean_log_events = sum_log_events / d - top;
  struct Sums {
    double a0 = 0, a1 = 0, a2 = 0; // sum e^{ky}, sum y e^{ky}, sum y^2 e^{ky}
  };
  auto sums = [&](double k) {
    Sums s;
    for (double lt : log_times) {
      const double y = lt - top, w = std::exp(k * y);
      s.a0 += w;
      s.a1 += y * w;
      s.a2 += y * y * w;
    }
    return s;
  };
  // g(k) = a1/a0 - 1/k - mean log of the events: increasing in k, from -inf (k -> 0) to
  // -mean_log_events >= 0 (k -> inf); the root is the shape.
  auto g = [&](const Sums &s, double k) { return s.a1 / s.a0 - 1.0 / k - mean_log_events; };
  if (!(-mean_log_events > 1e-12)) {
    out.problem = "every event is at the longest time: the Weibull shape grows without bound";
    return out;
  }
  // Start from the shape whose log-time spread matches the sample's (sd of log T = pi/(k sqrt 6)
  // for a Weibull), then keep a bracket [lo, hi] with g(lo) < 0 < g(hi).
  double var = 0.0;
  for (double lt : log_times)
    var += (lt - top - mean_log_events) * (lt - top - mean_log_events);
  var /= static_cast<double>(log_times.size());
  double k = var > 0.0 ? std::numbers::pi / std::sqrt(6.0 * var) : 1.0;
  k = std::clamp(k, 1e-3, 1e3);
  double lo = 0.0, hi = std::numeric_limits<double>::infinity();
  Sums s{};
  for (int iteration = 0; iteration < 200; ++iteration) {
    s = sums(k);
    const double gk = g(s, k);
    if (gk < 0.0)
      lo = k;
    else
      hi = k;
    const double slope = s.a2 / s.a0 - (s.a1 / s.a0) * (s.a1 / s.a0) + 1.0 / (k * k); // > 0
    double next = k - gk / slope;
    // Outside the bracket, Newton is not to be trusted: bisect (or expand while unbounded).
    if (!(next > lo && next < hi)) next = std::isinf(hi) ? 2.0 * k : (lo + hi) / 2.0;
    if (std::abs(next - k) <= 1e-11 * k) {
      k = next;
      s = sums(k);
      break;
    }
    k = next;
    if (k > 1e6) {
      out.problem = "the Weibull shape grows without bound (nearly equal observations)";
      return out;
    }
  }
  out.shape = k;
  const double log_scale = top + std::log(s.a0 / d) / k;
  out.scale = std::exp(log_scale);
  // log L = d log k - d k log scale + (k - 1) sum_events log t - sum (t/scale)^k, and the last
  // sum is d at the maximum.
  out.log_likelihood = d * std::log(k) - d * k * log_scale + (k - 1.0) * sum_log_events - d;
  return out;
}

const FamilyFit *find_family(const std::vector<FamilyFit> &families, Family family) {
  for (const FamilyFit &f : families)
    if (f.family == family) return &f;
  return nullptr;
}

HandleTimeFit fit_handle_times(std::vector<double> minutes, const FitOptions &options) {
  HandleTimeFit fit;
  // Keep the positive, finite observations; count the rest.
  std::erase_if(minutes, [&](double x) {
    std::size_t *counter = !std::isfinite(x) ? &fit.non_finite
                           : x < 0.0         ? &fit.negatives
                           : x == 0.0        ? &fit.zeros
                                             : nullptr;
    if (counter != nullptr) ++*counter;
    return counter != nullptr;
  });
  const std::size_t total = minutes.size() + fit.zeros + fit.negatives + fit.non_finite;
  auto left_out = [&](std::size_t count, const char *what) {
    if (count > 0)
      fit.warnings.push_back(fmt::format(
          "{} of {} handle times {} ({:.2f} %) left out: no fitted family has them", count, total,
          what, 100.0 * static_cast<double>(count) / static_cast<double>(total)));
  };
  left_out(fit.zeros, "are 0");
  left_out(fit.negatives, "are negative");
  left_out(fit.non_finite, "are not finite numbers");
  fit.n = minutes.size();
  if (fit.n == 0) {
    fit.warnings.push_back("no positive handle time: nothing to fit");
    return fit;
  }
  std::sort(minutes.begin(), minutes.end());
  const double n = static_cast<double>(fit.n);
  double sum = 0.0, sum_log = 0.0;
  std::vector<double> logs(fit.n);
  for (std::size_t i = 0; i < fit.n; ++i) {
    sum += minutes[i];
    logs[i] = std::log(minutes[i]);
    sum_log += logs[i];
  }
  fit.mean = sum / n;
  const double mean_log = sum_log / n;
  double ss = 0.0;
  for (double x : minutes)
    ss += (x - fit.mean) * (x - fit.mean);
  fit.cv = fit.n > 1 ? std::sqrt(ss / (n - 1.0)) / fit.mean : NAN;
  fit.median =
      fit.n % 2 == 1 ? minutes[fit.n / 2] : (minutes[fit.n / 2 - 1] + minutes[fit.n / 2]) / 2.0;

  fit.families.push_back(fit_exponential(minutes, fit.mean));
  if (fit.n < options.min_sample) {
    fit.warnings.push_back(fmt::format("only {} handle times (fewer than {}): only the exponential "
                                       "is fitted, and its mean is uncertain by about +-{:.0f} %",
                                       fit.n, options.min_sample, 196.0 / std::sqrt(n)));
  } else if (minutes.front() == minutes.back()) {
    fit.warnings.push_back(fmt::format(
        "every handle time is {:.6g} min: a constant, not a distribution; only the exponential "
        "is fitted",
        minutes.front()));
  } else {
    fit.families.push_back(fit_lognormal(minutes, logs, mean_log));
    fit.families.push_back(fit_gamma(minutes, fit.mean, mean_log));
    fit.families.push_back(fit_weibull(minutes, logs, mean_log));
  }
  const FamilyFit *best = nullptr;
  for (const FamilyFit &f : fit.families)
    if (f.distribution && (best == nullptr || f.aic < best->aic)) best = &f;
  for (const FamilyFit &f : fit.families)
    if (!f.problem.empty())
      fit.warnings.push_back(fmt::format("{} not usable: {}", name_of(f.family), f.problem));
  if (best != nullptr) {
    fit.chosen = best->family;
    fit.distribution = best->distribution;
  }
  if (options.empirical) {
    fit.distribution =
        sim::Distribution::empirical(empirical_values(minutes, options.empirical_max_values));
    fit.empirical = true;
    if (options.empirical_max_values != 0 && fit.n > options.empirical_max_values)
      fit.warnings.push_back(fmt::format(
          "the empirical distribution keeps {} evenly spaced quantiles of the {} handle times",
          options.empirical_max_values, fit.n));
  }
  return fit;
}

} // namespace supportsim::analysis
