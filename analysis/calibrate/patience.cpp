#include "analysis/calibrate/patience.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace supportsim::analysis {

namespace {

// Fewer abandonments than this: only the exponential (one parameter) is fitted.
constexpr std::size_t min_events_for_weibull = 20;

/// The largest gap between a fitted survival function and the Kaplan-Meier step function, over
/// the times at which at least 1 % of the queued customers (and at least 20) are still waiting:
/// beyond, a step is one or two customers and the estimate is noise (with 20,000 waits the last
/// steps alone differ from the true survival by 0.04-0.06). The step function is constant
/// between steps and the fitted one monotone, so the supremum is at a step (just before or
/// after it) or at the end of the range.
template <class Survival>
double distance_to_km(const KaplanMeier &km, std::size_t n, Survival survival) {
  const std::size_t min_at_risk = std::max<std::size_t>(20, n / 100);
  double d = 0.0, before = 1.0;
  for (const SurvivalStep &step : km.steps) {
    const double s = survival(step.minutes);
    d = std::max(d, std::abs(before - s));
    if (step.at_risk < min_at_risk) return d;
    d = std::max(d, std::abs(step.survival - s));
    before = step.survival;
  }
  return std::max(d, std::abs(before - survival(km.last_minutes)));
}

} // namespace

double survival_at(const KaplanMeier &km, double minutes) {
  // The last step at or before `minutes`.
  const auto after =
      std::upper_bound(km.steps.begin(), km.steps.end(), minutes,
                       [](double t, const SurvivalStep &step) { return t < step.minutes; });
  return after == km.steps.begin() ? 1.0 : std::prev(after)->survival;
}

KaplanMeier kaplan_meier(std::vector<QueuedWait> &waits) {
  // Abandonments first at equal times: a customer answered at t was still waiting at t, so is
  // at risk for the abandonments at t (Kaplan & Meier 1958's convention).
  std::sort(waits.begin(), waits.end(), [](const QueuedWait &a, const QueuedWait &b) {
    return a.wait_minutes != b.wait_minutes ? a.wait_minutes < b.wait_minutes
                                            : a.abandoned > b.abandoned;
  });
  KaplanMeier km;
  std::size_t at_risk = waits.size();
  double survival = 1.0, area = 0.0, previous = 0.0;
  for (std::size_t i = 0; i < waits.size();) {
    const double t = waits[i].wait_minutes;
    std::size_t events = 0, leaving = 0;
    for (; i < waits.size() && waits[i].wait_minutes == t; ++i, ++leaving)
      events += waits[i].abandoned ? 1 : 0;
    area += survival * (t - previous);
    previous = t;
    if (events > 0) {
      survival *= 1.0 - static_cast<double>(events) / static_cast<double>(at_risk);
      km.steps.push_back({t, at_risk, events, survival});
      if (std::isnan(km.median) && survival <= 0.5) km.median = t;
    }
    at_risk -= leaving;
  }
  km.last_minutes = previous;
  km.restricted_mean = waits.empty() ? NAN : area;
  km.complete = !km.steps.empty() && km.steps.back().survival == 0.0;
  return km;
}

PatienceFit fit_patience(std::vector<QueuedWait> waits) {
  PatienceFit fit;
  std::erase_if(waits, [&](const QueuedWait &w) {
    const bool bad = !std::isfinite(w.wait_minutes) || w.wait_minutes < 0.0;
    fit.left_out += bad ? 1 : 0;
    return bad;
  });
  if (fit.left_out > 0)
    fit.warnings.push_back(
        fmt::format("{} waits negative or not a number: left out", fit.left_out));
  fit.n = waits.size();
  if (fit.n == 0) {
    fit.warnings.push_back("no queued customer: nothing to fit");
    return fit;
  }
  double sum_log_events = 0.0, sum_abandoned_waits = 0.0;
  std::size_t abandoned_at_zero = 0;
  std::vector<double> log_times; // positive waits; a wait of 0 adds nothing to a likelihood
  log_times.reserve(waits.size());
  for (const QueuedWait &w : waits) {
    fit.total_wait_minutes += w.wait_minutes;
    if (w.abandoned) {
      ++fit.abandoned;
      sum_abandoned_waits += w.wait_minutes;
      if (w.wait_minutes == 0.0) ++abandoned_at_zero;
    }
    if (w.wait_minutes > 0.0) {
      log_times.push_back(std::log(w.wait_minutes));
      if (w.abandoned) sum_log_events += log_times.back();
    }
  }
  fit.kaplan_meier = kaplan_meier(waits);
  const KaplanMeier &km = fit.kaplan_meier;
  if (fit.abandoned == 0) {
    fit.warnings.push_back(fmt::format(
        "none of {} queued customers abandoned (longest wait {:.4g} min): patience is longer "
        "than the waits seen, and no distribution can be fitted",
        fit.n, km.last_minutes));
    return fit;
  }
  const double d = static_cast<double>(fit.abandoned);
  fit.naive_mean = sum_abandoned_waits / d;

  // Exponential: log L = d log(rate) - rate * total wait, maximal at rate = d / total wait.
  fit.exponential_mean = fit.total_wait_minutes / d;
  fit.exponential_mean_se = fit.exponential_mean / std::sqrt(d);
  {
    FamilyFit f;
    f.family = Family::exponential;
    f.parameters = 1;
    const double mean = fit.exponential_mean;
    if (mean > 0.0) {
      f.log_likelihood = -d * std::log(mean) - d;
      f.aic = 2.0 - 2.0 * f.log_likelihood;
      f.ks_distance = distance_to_km(km, fit.n, [&](double t) { return std::exp(-t / mean); });
      if (mean <= 1e7)
        f.distribution = sim::Distribution::exponential(mean);
      else
        f.problem = fmt::format("mean {:.6g} min is outside the scenario's range (0, 1e7]", mean);
    } else {
      f.problem = "every abandonment is at wait 0";
    }
    fit.families.push_back(std::move(f));
  }
  if (fit.abandoned < min_events_for_weibull) {
    fit.warnings.push_back(fmt::format(
        "only {} abandonments (fewer than {}): only the exponential is fitted, and its mean is "
        "uncertain by about +-{:.0f} %",
        fit.abandoned, min_events_for_weibull, 196.0 / std::sqrt(d)));
  } else if (abandoned_at_zero > 0) {
    fit.warnings.push_back(fmt::format(
        "{} abandonments at wait 0: the Weibull likelihood is unbounded there, so only the "
        "exponential is fitted (record waits in seconds, or leave out customers who hung up "
        "before queueing)",
        abandoned_at_zero));
  } else {
    FamilyFit f;
    f.family = Family::weibull;
    f.parameters = 2;
    const WeibullMle mle = weibull_mle(log_times, sum_log_events, fit.abandoned);
    if (!mle.problem.empty()) {
      f.problem = mle.problem;
    } else {
      f.log_likelihood = mle.log_likelihood;
      f.aic = 4.0 - 2.0 * f.log_likelihood;
      f.ks_distance = distance_to_km(
          km, fit.n, [&](double t) { return 1.0 - weibull_cdf(t, mle.shape, mle.scale); });
      if (mle.shape < 0.05 || mle.shape > 100.0)
        f.problem =
            fmt::format("shape {:.6g} is outside the scenario's range [0.05, 100]", mle.shape);
      else if (!(mle.scale <= 1e7))
        f.problem =
            fmt::format("scale {:.6g} min is outside the scenario's range (0, 1e7]", mle.scale);
      else
        f.distribution = sim::Distribution::weibull(mle.shape, mle.scale);
    }
    fit.families.push_back(std::move(f));
  }
  const FamilyFit *best = nullptr;
  for (const FamilyFit &f : fit.families) {
    if (!f.problem.empty())
      fit.warnings.push_back(fmt::format("{} not usable: {}", name_of(f.family), f.problem));
    if (f.distribution && (best == nullptr || f.aic < best->aic)) best = &f;
  }
  if (best != nullptr) {
    fit.chosen = best->family;
    fit.distribution = best->distribution;
  }
  return fit;
}

} // namespace supportsim::analysis
