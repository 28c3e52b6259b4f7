#include "sim/distribution.hpp"

#include <cmath>
#include <fmt/format.h>
#include <numeric>
#include <stdexcept>

namespace supportsim::sim {

namespace {

template <class... F> struct Overloaded : F... { using F::operator()...; };
template <class... F> Overloaded(F...) -> Overloaded<F...>;

void require(bool ok, const char *what) {
  if (!ok) throw std::invalid_argument(what);
}

bool finite_nonneg(double x) {
  return std::isfinite(x) && x >= 0.0;
}
bool finite_pos(double x) {
  return std::isfinite(x) && x > 0.0;
}

} // namespace

Distribution Distribution::constant(double value) {
  require(finite_nonneg(value), "constant: value must be a finite number >= 0");
  return Distribution(Constant{value});
}

Distribution Distribution::exponential(double mean) {
  require(finite_pos(mean), "exponential: mean must be a finite number > 0");
  return Distribution(
      Exponential{boost::random::exponential_distribution<double>(1.0 / mean), mean});
}

Distribution Distribution::lognormal(double mean, double cv) {
  require(finite_pos(mean), "lognormal: mean must be a finite number > 0");
  require(finite_pos(cv), "lognormal: cv must be a finite number > 0");
  // For X = exp(N(m, s^2)): E[X] = exp(m + s^2/2) and cv^2 = exp(s^2) - 1.
  const double s2 = std::log1p(cv * cv);
  const double m = std::log(mean) - s2 / 2.0;
  return Distribution(
      LogNormal{boost::random::lognormal_distribution<double>(m, std::sqrt(s2)), mean, cv});
}

Distribution Distribution::gamma(double mean, double cv) {
  require(finite_pos(mean), "gamma: mean must be a finite number > 0");
  require(finite_pos(cv), "gamma: cv must be a finite number > 0");
  const double shape = 1.0 / (cv * cv);
  const double scale = mean * cv * cv;
  return Distribution(Gamma{boost::random::gamma_distribution<double>(shape, scale), mean, cv});
}

Distribution Distribution::weibull(double shape, double scale) {
  require(finite_pos(shape), "weibull: shape must be a finite number > 0");
  require(finite_pos(scale), "weibull: scale must be a finite number > 0");
  return Distribution(Weibull{boost::random::weibull_distribution<double>(shape, scale)});
}

Distribution Distribution::uniform(double min, double max) {
  require(finite_nonneg(min) && std::isfinite(max), "uniform: min must be >= 0, max finite");
  require(max > min, "uniform: max must be greater than min");
  return Distribution(Uniform{boost::random::uniform_real_distribution<double>(min, max)});
}

Distribution Distribution::empirical(std::vector<double> observations) {
  require(!observations.empty(), "empirical: needs at least one observation");
  for (double x : observations)
    require(finite_nonneg(x), "empirical: observations must be finite numbers >= 0");
  const std::size_t last = observations.size() - 1;
  return Distribution(Empirical{std::move(observations),
                                boost::random::uniform_int_distribution<std::size_t>(0, last)});
}

Distribution Distribution::mixture(std::vector<double> weights,
                                   std::vector<Distribution> components) {
  require(!components.empty(), "mixture: needs at least one component");
  require(weights.size() == components.size(), "mixture: one weight per component");
  for (double w : weights)
    require(finite_nonneg(w), "mixture: weights must be finite and >= 0");
  require(std::accumulate(weights.begin(), weights.end(), 0.0) > 0.0,
          "mixture: weights must not all be zero");
  boost::random::discrete_distribution<std::size_t, double> pick(weights.begin(), weights.end());
  return Distribution(Mixture{std::move(weights), std::move(components), std::move(pick)});
}

double Distribution::sample(RandomStream &stream) const {
  return sample_from(stream);
}

double Distribution::sample(SmallStream &stream) const {
  return sample_from(stream);
}

template <class Stream> double Distribution::sample_from(Stream &stream) const {
  // Boost declares some distributions' operator() non-const although they keep no state
  // between draws; drawing from a local copy (a few doubles) keeps a shared Distribution safe
  // to use from several threads without relying on that.
  auto draw = [&](auto dist) { return dist(stream.engine()); };
  return std::visit(
      Overloaded{
          [](const Constant &d) { return d.value; },
          [&](const Exponential &d) { return draw(d.dist); },
          [&](const LogNormal &d) { return draw(d.dist); },
          [&](const Gamma &d) { return draw(d.dist); },
          [&](const Weibull &d) { return draw(d.dist); },
          [&](const Uniform &d) { return draw(d.dist); },
          [&](const Empirical &d) { return d.values[d.pick(stream.engine())]; },
          [&](const Mixture &d) { return d.components[d.pick(stream.engine())].sample(stream); },
      },
      v_);
}

double Distribution::mean() const {
  return std::visit(
      Overloaded{
          [](const Constant &d) { return d.value; },
          [](const Exponential &d) { return d.mean; },
          [](const LogNormal &d) { return d.mean; },
          [](const Gamma &d) { return d.mean; },
          [](const Weibull &d) { return d.dist.b() * std::tgamma(1.0 + 1.0 / d.dist.a()); },
          [](const Uniform &d) { return (d.dist.a() + d.dist.b()) / 2.0; },
          [](const Empirical &d) {
            return std::accumulate(d.values.begin(), d.values.end(), 0.0) /
                   static_cast<double>(d.values.size());
          },
          [](const Mixture &d) {
            const double total = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
            double m = 0.0;
            for (std::size_t i = 0; i < d.components.size(); ++i)
              m += d.weights[i] / total * d.components[i].mean();
            return m;
          },
      },
      v_);
}

double Distribution::variance() const {
  return std::visit(
      Overloaded{
          [](const Constant &) { return 0.0; },
          [](const Exponential &d) { return d.mean * d.mean; },
          [](const LogNormal &d) { return d.mean * d.mean * d.cv * d.cv; },
          [](const Gamma &d) { return d.mean * d.mean * d.cv * d.cv; },
          [](const Weibull &d) {
            const double k = d.dist.a(), l = d.dist.b();
            const double g1 = std::tgamma(1.0 + 1.0 / k), g2 = std::tgamma(1.0 + 2.0 / k);
            return l * l * (g2 - g1 * g1);
          },
          [](const Uniform &d) {
            const double w = d.dist.b() - d.dist.a();
            return w * w / 12.0;
          },
          [](const Empirical &d) {
            const double n = static_cast<double>(d.values.size());
            const double m = std::accumulate(d.values.begin(), d.values.end(), 0.0) / n;
            double ss = 0.0;
            for (double x : d.values)
              ss += (x - m) * (x - m);
            return ss / n; // the resampling distribution's own variance (divide by n, not n-1)
          },
          [](const Mixture &d) {
            // Law of total variance: E[Var] + Var[E].
            const double total = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
            double m = 0.0, second = 0.0;
            for (std::size_t i = 0; i < d.components.size(); ++i) {
              const double w = d.weights[i] / total, mi = d.components[i].mean();
              m += w * mi;
              second += w * (d.components[i].variance() + mi * mi);
            }
            return second - m * m;
          },
      },
      v_);
}

double Distribution::cv() const {
  const double m = mean();
  return m == 0.0 ? 0.0 : std::sqrt(std::max(0.0, variance())) / m;
}

std::string Distribution::describe() const {
  return std::visit(
      Overloaded{
          [](const Constant &d) { return fmt::format("constant({:g})", d.value); },
          [](const Exponential &d) { return fmt::format("exponential(mean {:g})", d.mean); },
          [](const LogNormal &d) {
            return fmt::format("lognormal(mean {:g}, cv {:g})", d.mean, d.cv);
          },
          [](const Gamma &d) { return fmt::format("gamma(mean {:g}, cv {:g})", d.mean, d.cv); },
          [](const Weibull &d) {
            return fmt::format("weibull(shape {:g}, scale {:g})", d.dist.a(), d.dist.b());
          },
          [](const Uniform &d) {
            return fmt::format("uniform({:g}, {:g})", d.dist.a(), d.dist.b());
          },
          [](const Empirical &d) { return fmt::format("empirical({} values)", d.values.size()); },
          [](const Mixture &d) {
            return fmt::format("mixture({} components)", d.components.size());
          },
      },
      v_);
}

DistributionSpec Distribution::spec() const {
  return std::visit(
      Overloaded{
          [](const Constant &d) {
            return DistributionSpec{"constant", {{"value", d.value}}, {}, {}};
          },
          [](const Exponential &d) {
            return DistributionSpec{"exponential", {{"mean", d.mean}}, {}, {}};
          },
          [](const LogNormal &d) {
            return DistributionSpec{"lognormal", {{"mean", d.mean}, {"cv", d.cv}}, {}, {}};
          },
          [](const Gamma &d) {
            return DistributionSpec{"gamma", {{"mean", d.mean}, {"cv", d.cv}}, {}, {}};
          },
          [](const Weibull &d) {
            return DistributionSpec{
                "weibull", {{"shape", d.dist.a()}, {"scale", d.dist.b()}}, {}, {}};
          },
          [](const Uniform &d) {
            return DistributionSpec{"uniform", {{"min", d.dist.a()}, {"max", d.dist.b()}}, {}, {}};
          },
          [](const Empirical &d) {
            return DistributionSpec{"empirical", {}, d.values, {}};
          },
          [](const Mixture &d) {
            DistributionSpec out{"mixture", {}, {}, {}};
            for (std::size_t i = 0; i < d.components.size(); ++i)
              out.components.push_back({d.weights[i], d.components[i].spec()});
            return out;
          },
      },
      v_);
}

} // namespace supportsim::sim
