#include "analysis/run/precision.hpp"

#include "models/priority.hpp"

#include <cmath>
#include <fmt/format.h>

namespace supportsim::analysis {

namespace {

/// "0.2" of "0.2pp": a positive finite number, or nothing.
std::optional<double> number_of(std::string_view text) {
  try {
    std::size_t used = 0;
    const std::string s(text);
    const double v = std::stod(s, &used);
    if (used == s.size() && std::isfinite(v) && v > 0) return v;
  } catch (const std::exception &) {
  }
  return std::nullopt;
}

double sla_of(const ReplicationFigures &r, std::size_t index) {
  return r.regions[index / models::priority_count]
      .by_priority[index % models::priority_count]
      .sla_attainment;
}

double cost_per_resolved_of(const ReplicationFigures &r, std::size_t) {
  return r.all.cost_per_resolved;
}

} // namespace

Precision parse_precision(std::string_view text) {
  Precision p;
  p.text = std::string(text);
  bool relative_given = false;
  const auto bad = [&](std::string_view part, std::string_view why) {
    return scenarios::InputError(fmt::format(
        "--precision \"{}\": {}; expected a half-width in percentage points for rates (0.2pp), "
        "relative to the mean (1%), or both (0.2pp,2%)",
        part, why));
  };
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view part = text.substr(at, comma - at);
    at = comma + 1;
    if (part.ends_with("pp")) {
      if (p.rate_points) throw bad(part, "percentage points are given twice");
      const auto v = number_of(part.substr(0, part.size() - 2));
      if (!v || *v >= 100) throw bad(part, "not a number of points above 0 and below 100");
      p.rate_points = *v / 100;
    } else if (part.ends_with('%')) {
      if (relative_given) throw bad(part, "a relative precision is given twice");
      const auto v = number_of(part.substr(0, part.size() - 1));
      if (!v || *v >= 100) throw bad(part, "not a percentage above 0 and below 100");
      p.relative = *v / 100;
      relative_given = true;
    } else {
      throw bad(part, "no unit (pp or %)");
    }
  }
  return p;
}

std::vector<PrecisionFigure> precision_figures(std::size_t regions) {
  std::vector<PrecisionFigure> out;
  for (std::size_t q = 0; q < regions; ++q)
    for (std::size_t p = 0; p < models::priority_count; ++p)
      out.push_back({"", true, &sla_of, q * models::priority_count + p});
  out.push_back({"cost per resolved case", false, &cost_per_resolved_of, 0});
  return out;
}

std::uint32_t next_precision_check(std::uint32_t n, std::uint32_t most) {
  if (n >= most) return most + 1;
  return std::min(most, n + std::max<std::uint32_t>(1, (n + 9) / 10)); // n + ceil(n / 10)
}

bool meets_precision(std::span<const ReplicationFigures> replications,
                     const std::vector<PrecisionFigure> &figures, const Precision &precision,
                     PrecisionOutcome &outcome) {
  std::vector<double> values(replications.size());
  bool met = true;
  outcome.widest_ratio = -1;
  for (const PrecisionFigure &f : figures) {
    for (std::size_t r = 0; r < replications.size(); ++r)
      values[r] = f.value(replications[r], f.index);
    const Estimate e = estimate(values);
    if (e.n < 2 || std::isnan(e.half_width)) continue; // no cases of it: nothing to hold
    // Law's rule for a relative error gamma compares the half-width with gamma / (1 + gamma)
    // of the mean, so that the error relative to the true mean is at most gamma.
    const double allowed = f.rate && precision.rate_points
                               ? *precision.rate_points
                               : precision.relative / (1 + precision.relative) * std::abs(e.mean);
    const double ratio = allowed > 0 ? e.half_width / allowed : (e.half_width > 0 ? INFINITY : 0);
    met = met && ratio <= 1;
    if (ratio > outcome.widest_ratio) {
      outcome.widest_ratio = ratio;
      outcome.widest_estimate = e;
      outcome.widest =
          f.name.empty() && replications.size() > 0
              ? fmt::format("{} {} SLA attainment",
                            replications[0].regions[f.index / models::priority_count].name,
                            models::priority_names[f.index % models::priority_count])
              : f.name;
    }
  }
  outcome.met = met;
  outcome.replications = static_cast<std::uint32_t>(replications.size());
  return met;
}

std::string describe(const PrecisionOutcome &o) {
  const bool rate = o.widest.ends_with("SLA attainment");
  const std::string width =
      rate ? fmt::format("± {:.2f}pp", 100 * o.widest_estimate.half_width)
           : fmt::format("± {:.2f}% of its mean",
                         100 * o.widest_estimate.half_width / std::abs(o.widest_estimate.mean));
  return fmt::format("precision {} {} after {} replications (widest: {} {}, {:.0f}% of the "
                     "half-width allowed)",
                     o.precision.text, o.met ? "met" : "NOT met", o.replications, o.widest, width,
                     100 * o.widest_ratio);
}

} // namespace supportsim::analysis
