#pragma once

#include "sim/random.hpp"

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace supportsim::sim {

struct MixtureComponent;

/// A distribution described by its parameters, as a scenario file states it: enough to rebuild
/// it exactly (see Distribution::spec()).
struct DistributionSpec {
  std::string type; ///< constant, exponential, lognormal, gamma, weibull, uniform, empirical,
                    ///< mixture
  std::vector<std::pair<std::string, double>> parameters; ///< e.g. {"mean", 45}, {"cv", 0.8}
  std::vector<double> values;                             ///< empirical only
  std::vector<MixtureComponent> components;               ///< mixture only
};

/// One part of a mixture and its weight. A named struct, not a std::pair: pair<double,
/// DistributionSpec> inside DistributionSpec itself asks whether the still incomplete
/// DistributionSpec is default-constructible, which clang with libstdc++ rejects.
struct MixtureComponent {
  double weight = 0;
  DistributionSpec distribution;
};

/// A non-negative random quantity (a duration in minutes, a count, a multiplier) described with
/// the parameters planners use: a mean and a coefficient of variation where that makes sense.
/// Sampling uses Boost.Random's distributions, whose code is Boost's own, so results do not move
/// between standard libraries.
///
///   auto handle_time = Distribution::lognormal(45.0, 0.8); // minutes: mean 45, cv 0.8
///   double minutes = handle_time.sample(stream);
///
/// Factories throw std::invalid_argument when a parameter is out of range (negative mean, cv <= 0
/// for gamma, weights that do not sum to a positive number, ...).
class Distribution {
public:
  /// Always `value`.
  static Distribution constant(double value);
  /// Exponential with the given mean (rate 1/mean).
  static Distribution exponential(double mean);
  /// Lognormal with the given mean and coefficient of variation (sd/mean) of the variable itself,
  /// not of its logarithm.
  static Distribution lognormal(double mean, double cv);
  /// Gamma with the given mean and coefficient of variation (shape 1/cv^2, scale mean*cv^2).
  static Distribution gamma(double mean, double cv);
  /// Weibull with shape k and scale lambda: P(X > x) = exp(-(x/lambda)^k).
  static Distribution weibull(double shape, double scale);
  /// Uniform on [min, max).
  static Distribution uniform(double min, double max);
  /// Resamples uniformly from observed values (each observation equally likely).
  static Distribution empirical(std::vector<double> observations);
  /// Picks component i with probability weights[i] / sum(weights), then samples it.
  static Distribution mixture(std::vector<double> weights, std::vector<Distribution> components);

  double sample(RandomStream &stream) const;
  double sample(SmallStream &stream) const;
  /// The exact mean of the distribution (of the observations, for empirical).
  double mean() const;
  /// The exact coefficient of variation, sd / mean (0 when the mean is 0).
  double cv() const;
  /// A short description: "lognormal(mean 45, cv 0.8)".
  std::string describe() const;
  /// The parameters this distribution was made from.
  DistributionSpec spec() const;

private:
  template <class Stream> double sample_from(Stream &stream) const;
  struct Constant {
    double value;
  };
  struct Exponential {
    boost::random::exponential_distribution<double> dist;
    double mean; // as given: 1 / (1 / mean) is not always mean again in floating point
  };
  struct LogNormal {
    boost::random::lognormal_distribution<double> dist;
    double mean, cv;
  };
  struct Gamma {
    boost::random::gamma_distribution<double> dist;
    double mean, cv;
  };
  struct Weibull {
    boost::random::weibull_distribution<double> dist;
  };
  struct Uniform {
    boost::random::uniform_real_distribution<double> dist;
  };
  struct Empirical {
    std::vector<double> values;
    boost::random::uniform_int_distribution<std::size_t> pick;
  };
  struct Mixture {
    std::vector<double> weights;
    std::vector<Distribution> components;
    boost::random::discrete_distribution<std::size_t, double> pick;
  };
  using Variant =
      std::variant<Constant, Exponential, LogNormal, Gamma, Weibull, Uniform, Empirical, Mixture>;

  explicit Distribution(Variant v) : v_(std::move(v)) {}
  double variance() const;

  Variant v_;
};

} // namespace supportsim::sim
