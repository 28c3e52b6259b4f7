#include "analysis/calibrate/calibration.hpp"

#include "analysis/report/format.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace supportsim::analysis {

namespace {

using nlohmann::ordered_json;

/// The work of a case's first touch, when it has one.
std::optional<double> work_of(const CalibrationCase &c, const CalibrationOptions &options) {
  if (!c.handle_minutes) return std::nullopt;
  return *c.handle_minutes + (options.add_wrap_to_handle ? c.wrap_minutes.value_or(0.0) : 0.0);
}

std::size_t cell_count(Split by) {
  return by == Split::priority ? models::priority_count : hour_band_count;
}

std::string cell_label(Split by, std::size_t cell) {
  return std::string(by == Split::priority ? models::priority_names[cell] : hour_band_names[cell]);
}

/// The cell of a case in a split: its priority, or its local hour's band.
std::uint8_t cell_key(Split by, const CalibrationCase &c) {
  return by == Split::priority ? static_cast<std::uint8_t>(models::index_of(c.priority))
                               : static_cast<std::uint8_t>(std::min<int>(c.local_hour, 23) / 6);
}

double best_aic(const HandleTimeFit &fit) {
  return fit.chosen ? find_family(fit.families, *fit.chosen)->aic : NAN;
}
double best_aic(const PatienceFit &fit) {
  return fit.chosen ? find_family(fit.families, *fit.chosen)->aic : NAN;
}

/// Observations of one channel with the cell each falls in, per dimension.
template <class Observation> struct Observations {
  std::vector<Observation> values;
  std::vector<std::uint8_t> priority, band;
  void add(Observation v, const CalibrationCase &c) {
    values.push_back(v);
    priority.push_back(cell_key(Split::priority, c));
    band.push_back(cell_key(Split::hour_band, c));
  }
};

/// The splitting rule (docs/calibrate.md): for each dimension, every non-empty cell needs
/// `min_cell` observations and at least two cells must be non-empty; the split's AIC is the sum
/// of its cells' best AICs; the dimension with the largest gain over the pooled AIC is taken
/// when the gain is at least `min_aic_gain`.
template <class Observation, class Fit, class FitCell>
void decide_split(const Observations<Observation> &obs, const Fit &pooled,
                  const CalibrationOptions &options, FitCell fit_cell, SplitDecision &decision,
                  std::vector<Cell<Fit>> &cells) {
  decision.pooled_aic = best_aic(pooled);
  double best_gain = -INFINITY;
  for (Split by : {Split::priority, Split::hour_band}) {
    const std::vector<std::uint8_t> &keys = by == Split::priority ? obs.priority : obs.band;
    std::vector<std::vector<Observation>> parts(cell_count(by));
    for (std::size_t i = 0; i < obs.values.size(); ++i)
      parts[keys[i]].push_back(obs.values[i]);
    std::size_t non_empty = 0;
    std::string too_small;
    for (std::size_t cell = 0; cell < parts.size(); ++cell) {
      if (parts[cell].empty()) continue;
      ++non_empty;
      if (parts[cell].size() < options.min_cell && too_small.empty())
        too_small = fmt::format("{} has {} < {}", cell_label(by, cell), parts[cell].size(),
                                options.min_cell);
    }
    if (non_empty < 2 || !too_small.empty()) {
      decision.split_aic.emplace_back(by, NAN);
      decision.reasons.push_back(fmt::format("not split by {}: {}", name_of(by),
                                             non_empty < 2 ? "one cell only" : too_small));
      continue;
    }
    std::vector<Cell<Fit>> candidate;
    double aic = 0.0;
    for (std::size_t cell = 0; cell < parts.size(); ++cell) {
      if (parts[cell].empty()) continue;
      candidate.push_back({cell_label(by, cell), fit_cell(std::move(parts[cell]))});
      aic += best_aic(candidate.back().fit);
    }
    decision.split_aic.emplace_back(by, aic);
    const double gain = decision.pooled_aic - aic;
    if (!std::isfinite(gain)) {
      decision.reasons.push_back(
          fmt::format("not split by {}: some cell has no usable fit", name_of(by)));
      continue;
    }
    decision.reasons.push_back(fmt::format("{} by {}: AIC {:.1f} against {:.1f} pooled ({:+.1f})",
                                           gain >= options.min_aic_gain ? "split" : "not split",
                                           name_of(by), aic, decision.pooled_aic, -gain));
    if (gain >= options.min_aic_gain && gain > best_gain) {
      best_gain = gain;
      decision.by = by;
      cells = std::move(candidate);
    }
  }
}

Rate rate_of(std::size_t count, std::size_t n) {
  Rate r{.n = n, .count = count};
  if (n > 0) {
    r.share = static_cast<double>(count) / static_cast<double>(n);
    r.se = std::sqrt(r.share * (1.0 - r.share) / static_cast<double>(n));
  }
  return r;
}

TouchCounts touch_counts(const std::map<std::uint16_t, std::size_t> &counts, std::size_t left_out) {
  TouchCounts t;
  t.left_out = left_out;
  double sum = 0.0;
  for (const auto &[touches, cases] : counts) {
    t.counts.emplace_back(touches, cases);
    t.n += cases;
    sum += static_cast<double>(touches) * static_cast<double>(cases);
  }
  if (t.n > 0) t.mean = sum / static_cast<double>(t.n);
  return t;
}

/// Per channel while reading the cases.
struct ChannelData {
  Observations<double> work;
  Observations<QueuedWait> waits;
  std::map<std::uint16_t, std::size_t> touches;
  std::size_t touches_zero = 0, escalated = 0, escalation_n = 0, reopened = 0, reopen_n = 0;
  std::size_t contradictions = 0;
};

void prefixed(std::vector<std::string> &out, const std::string &prefix,
              const std::vector<std::string> &warnings) {
  for (const std::string &w : warnings)
    out.push_back(prefix + w);
}

} // namespace

std::string_view name_of(Split split) {
  switch (split) {
  case Split::none:
    return "none";
  case Split::priority:
    return "priority";
  case Split::hour_band:
    return "hour band";
  }
  return "none";
}

Calibration calibrate(const std::vector<CalibrationCase> &cases,
                      const CalibrationOptions &options) {
  Calibration result;
  result.cases = cases.size();
  std::array<ChannelData, models::channel_count> data;
  for (const CalibrationCase &c : cases) {
    ChannelCalibration &channel = result.channels[models::index_of(c.channel)];
    ChannelData &d = data[models::index_of(c.channel)];
    ++channel.cases;
    if (const auto work = work_of(c, options)) d.work.add(*work, c);
    if (c.wait_minutes && models::is_synchronous(c.channel)) {
      if (c.answered && c.abandoned)
        ++d.contradictions;
      else
        d.waits.add({*c.wait_minutes, c.abandoned}, c);
    }
    if (c.touches && c.answered) {
      if (*c.touches == 0)
        ++d.touches_zero;
      else
        ++d.touches[*c.touches];
    }
    if (c.escalated) {
      ++d.escalation_n;
      d.escalated += *c.escalated ? 1 : 0;
    }
    if (c.reopened && c.answered) {
      ++d.reopen_n;
      d.reopened += *c.reopened ? 1 : 0;
    }
  }

  std::map<std::uint16_t, std::size_t> all_touches;
  std::size_t all_touches_zero = 0, escalated = 0, escalation_n = 0, reopened = 0, reopen_n = 0;
  for (std::size_t ch = 0; ch < models::channel_count; ++ch) {
    ChannelCalibration &channel = result.channels[ch];
    ChannelData &d = data[ch];
    channel.channel = static_cast<models::Channel>(ch);
    const std::string name(models::channel_names[ch]);
    if (channel.cases == 0) continue;

    channel.handle = fit_handle_times(d.work.values, options.handle);
    prefixed(result.warnings, name + ": handle time: ", channel.handle.warnings);
    FitOptions cell_options = options.handle;
    cell_options.empirical = false; // cells are for the report: parametric
    decide_split(
        d.work, channel.handle, options,
        [&](std::vector<double> v) { return fit_handle_times(std::move(v), cell_options); },
        channel.handle_split, channel.handle_cells);

    if (models::is_synchronous(channel.channel)) {
      if (d.contradictions > 0)
        result.warnings.push_back(
            fmt::format("{}: patience: {} cases both answered and abandoned: left out", name,
                        d.contradictions));
      channel.patience = fit_patience(d.waits.values);
      prefixed(result.warnings, name + ": patience: ", channel.patience->warnings);
      decide_split(
          d.waits, *channel.patience, options,
          [](std::vector<QueuedWait> v) { return fit_patience(std::move(v)); },
          channel.patience_split, channel.patience_cells);
    }

    channel.touches = touch_counts(d.touches, d.touches_zero);
    channel.escalation = rate_of(d.escalated, d.escalation_n);
    channel.reopen = rate_of(d.reopened, d.reopen_n);
    for (const auto &[touches, count] : d.touches)
      all_touches[touches] += count;
    all_touches_zero += d.touches_zero;
    escalated += d.escalated;
    escalation_n += d.escalation_n;
    reopened += d.reopened;
    reopen_n += d.reopen_n;
    if (d.touches_zero > 0)
      result.warnings.push_back(fmt::format(
          "{}: touches: {} answered cases with 0 touches left out", name, d.touches_zero));
  }
  result.touches = touch_counts(all_touches, all_touches_zero);
  result.escalation = rate_of(escalated, escalation_n);
  result.reopen = rate_of(reopened, reopen_n);
  return result;
}

// --- Rendering -----------------------------------------------------------------------------------

namespace {

ordered_json number(double x) {
  return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr);
}

/// A distribution in the scenario format's own keys (docs/scenario-format.md#distributions).
ordered_json distribution_json(const sim::DistributionSpec &spec) {
  ordered_json j;
  j["type"] = spec.type;
  for (const auto &[key, value] : spec.parameters)
    j[key] = value;
  if (spec.type == "empirical") j["values"] = spec.values;
  if (spec.type == "mixture") {
    j["components"] = ordered_json::array();
    for (const auto &[weight, part] : spec.components)
      j["components"].push_back({{"weight", weight}, {"distribution", distribution_json(part)}});
  }
  return j;
}

/// In the report, an empirical distribution is summarised, not listed.
ordered_json reported_distribution(const std::optional<sim::Distribution> &d) {
  if (!d) return nullptr;
  const sim::DistributionSpec spec = d->spec();
  if (spec.type != "empirical") return distribution_json(spec);
  return {
      {"type", "empirical"}, {"values", spec.values.size()}, {"mean", d->mean()}, {"cv", d->cv()}};
}

ordered_json families_json(const std::vector<FamilyFit> &families) {
  ordered_json out = ordered_json::array();
  for (const FamilyFit &f : families) {
    ordered_json j;
    j["family"] = name_of(f.family);
    j["distribution"] = reported_distribution(f.distribution);
    j["parameters"] = f.parameters;
    j["log_likelihood"] = number(f.log_likelihood);
    j["aic"] = number(f.aic);
    j["ks_distance"] = number(f.ks_distance);
    if (!f.problem.empty()) j["problem"] = f.problem;
    out.push_back(std::move(j));
  }
  return out;
}

ordered_json handle_json(const HandleTimeFit &fit) {
  ordered_json j;
  j["n"] = fit.n;
  j["left_out"] = {
      {"zero", fit.zeros}, {"negative", fit.negatives}, {"not_finite", fit.non_finite}};
  j["mean_minutes"] = number(fit.mean);
  j["cv"] = number(fit.cv);
  j["median_minutes"] = number(fit.median);
  j["families"] = families_json(fit.families);
  j["chosen"] = fit.chosen ? ordered_json(name_of(*fit.chosen)) : ordered_json(nullptr);
  j["distribution"] = reported_distribution(fit.distribution);
  j["empirical"] = fit.empirical;
  return j;
}

ordered_json patience_json(const PatienceFit &fit) {
  ordered_json j;
  j["n"] = fit.n;
  j["abandoned"] = fit.abandoned;
  j["left_out"] = fit.left_out;
  j["total_wait_minutes"] = fit.total_wait_minutes;
  const KaplanMeier &km = fit.kaplan_meier;
  ordered_json survival = ordered_json::array();
  for (double t : {0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0})
    if (t <= km.last_minutes)
      survival.push_back({{"minutes", t}, {"survival", survival_at(km, t)}});
  j["kaplan_meier"] = {{"steps", km.steps.size()},
                       {"longest_wait_minutes", km.last_minutes},
                       {"restricted_mean_minutes", number(km.restricted_mean)},
                       {"complete", km.complete},
                       {"median_minutes", number(km.median)},
                       {"survival", std::move(survival)}};
  j["exponential_mean_minutes"] = number(fit.exponential_mean);
  j["exponential_mean_se"] = number(fit.exponential_mean_se);
  j["families"] = families_json(fit.families);
  j["chosen"] = fit.chosen ? ordered_json(name_of(*fit.chosen)) : ordered_json(nullptr);
  j["distribution"] = reported_distribution(fit.distribution);
  j["naive_mean_minutes"] = number(fit.naive_mean);
  j["naive_mean_note"] = "mean wait of abandoned customers: biased low, never used";
  return j;
}

ordered_json split_json(const SplitDecision &d) {
  ordered_json j;
  j["by"] = name_of(d.by);
  j["pooled_aic"] = number(d.pooled_aic);
  j["considered"] = ordered_json::array();
  for (const auto &[by, aic] : d.split_aic)
    j["considered"].push_back({{"by", name_of(by)}, {"aic", number(aic)}});
  j["reasons"] = d.reasons;
  return j;
}

ordered_json rate_json(const Rate &r) {
  return {{"n", r.n}, {"count", r.count}, {"share", number(r.share)}, {"se", number(r.se)}};
}

ordered_json touches_json(const TouchCounts &t) {
  ordered_json counts = ordered_json::object();
  for (const auto &[touches, cases] : t.counts)
    counts[std::to_string(touches)] = cases;
  return {{"n", t.n},
          {"mean", number(t.mean)},
          {"counts", std::move(counts)},
          {"left_out_zero", t.left_out}};
}

/// The scenario's touches distribution: the observed frequencies as a mixture of constants
/// (one value: the constant itself).
std::optional<sim::DistributionSpec> touches_spec(const TouchCounts &t) {
  if (t.n == 0) return std::nullopt;
  if (t.counts.size() == 1)
    return sim::Distribution::constant(static_cast<double>(t.counts.front().first)).spec();
  std::vector<double> weights;
  std::vector<sim::Distribution> parts;
  for (const auto &[touches, cases] : t.counts) {
    weights.push_back(static_cast<double>(cases));
    parts.push_back(sim::Distribution::constant(static_cast<double>(touches)));
  }
  return sim::Distribution::mixture(std::move(weights), std::move(parts)).spec();
}

/// `spec` as scenario JSON, with null for every key the base's distribution at `base` has and
/// this one does not: "extends" merges objects key by key, and a lognormal's mean and cv laid
/// over a Weibull's shape and scale would otherwise keep all four.
ordered_json replacing(const sim::DistributionSpec &spec, const nlohmann::json *base) {
  ordered_json j = distribution_json(spec);
  if (base != nullptr && base->is_object())
    for (const auto &item : base->items())
      if (!j.contains(item.key())) j[item.key()] = nullptr;
  return j;
}

/// The value at `keys` in `doc`, or nullptr when there is none.
const nlohmann::json *find_at(const nlohmann::json &doc, const std::vector<std::string> &keys) {
  const nlohmann::json *at = &doc;
  for (const std::string &key : keys) {
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
  }
  return at;
}

std::string fit_text(const std::optional<sim::Distribution> &d) {
  return d ? d->describe() : std::string("-");
}

} // namespace

std::string calibration_json(const Calibration &c) {
  ordered_json out;
  out["cases"] = c.cases;
  out["channels"] = ordered_json::object();
  for (const ChannelCalibration &ch : c.channels) {
    if (ch.cases == 0) continue;
    ordered_json j;
    j["cases"] = ch.cases;
    j["handle_minutes"] = handle_json(ch.handle);
    j["handle_minutes"]["split"] = split_json(ch.handle_split);
    j["handle_minutes"]["cells"] = ordered_json::object();
    for (const auto &cell : ch.handle_cells)
      j["handle_minutes"]["cells"][cell.label] = handle_json(cell.fit);
    if (ch.patience) {
      j["patience_minutes"] = patience_json(*ch.patience);
      j["patience_minutes"]["split"] = split_json(ch.patience_split);
      j["patience_minutes"]["cells"] = ordered_json::object();
      for (const auto &cell : ch.patience_cells)
        j["patience_minutes"]["cells"][cell.label] = patience_json(cell.fit);
    }
    j["touches"] = touches_json(ch.touches);
    j["escalation"] = rate_json(ch.escalation);
    j["reopen"] = rate_json(ch.reopen);
    out["channels"][std::string(models::channel_names[models::index_of(ch.channel)])] =
        std::move(j);
  }
  out["touches"] = touches_json(c.touches);
  out["escalation"] = rate_json(c.escalation);
  out["reopen"] = rate_json(c.reopen);
  out["warnings"] = c.warnings;
  return out.dump(2) + "\n";
}

std::string calibration_table(const Calibration &c) {
  std::string out = fmt::format("Calibration from {} cases\n\n", c.cases);
  out += fmt::format("{:<8} {:<12} {:>9}  {:<44} {:>7}  {}\n", "channel", "estimate", "n",
                     "fitted (scenario)", "KS", "split");
  auto ks_of = [](const auto &fit) {
    return fit.chosen ? fmt::format("{:.4f}", find_family(fit.families, *fit.chosen)->ks_distance)
                      : std::string("-");
  };
  for (const ChannelCalibration &ch : c.channels) {
    if (ch.cases == 0) continue;
    const std::string_view name = models::channel_names[models::index_of(ch.channel)];
    out +=
        fmt::format("{:<8} {:<12} {:>9}  {:<44} {:>7}  {}\n", name, "handle time", ch.handle.n,
                    (ch.handle.empirical ? "empirical; " : "") + fit_text(ch.handle.distribution),
                    ks_of(ch.handle), name_of(ch.handle_split.by));
    for (const auto &cell : ch.handle_cells)
      out += fmt::format("{:<8} {:<12} {:>9}  {:<44} {:>7}\n", "", "  " + cell.label, cell.fit.n,
                         fit_text(cell.fit.distribution), ks_of(cell.fit));
    if (ch.patience) {
      const PatienceFit &p = *ch.patience;
      out += fmt::format("{:<8} {:<12} {:>9}  {:<44} {:>7}  {}\n", name, "patience", p.n,
                         fit_text(p.distribution), ks_of(p), name_of(ch.patience_split.by));
      out +=
          fmt::format("{:<8} {:<12} {:>9}  abandoned {}; Kaplan-Meier median {}, "
                      "restricted mean {}; naive mean {} (biased, not used)\n",
                      "", "", "", p.abandoned, format_minutes(p.kaplan_meier.median),
                      format_minutes(p.kaplan_meier.restricted_mean), format_minutes(p.naive_mean));
      for (const auto &cell : ch.patience_cells)
        out += fmt::format("{:<8} {:<12} {:>9}  {:<44} {:>7}\n", "", "  " + cell.label, cell.fit.n,
                           fit_text(cell.fit.distribution), ks_of(cell.fit));
    }
    if (ch.touches.n > 0)
      out += fmt::format("{:<8} {:<12} {:>9}  mean {:.3f}\n", name, "touches", ch.touches.n,
                         ch.touches.mean);
    if (ch.escalation.n > 0)
      out += fmt::format("{:<8} {:<12} {:>9}  {}\n", name, "escalated", ch.escalation.n,
                         format_percent(ch.escalation.share, 1.96 * ch.escalation.se));
    if (ch.reopen.n > 0)
      out += fmt::format("{:<8} {:<12} {:>9}  {}\n", name, "reopened", ch.reopen.n,
                         format_percent(ch.reopen.share, 1.96 * ch.reopen.se));
  }
  if (!c.warnings.empty()) {
    out += "\nWarnings:\n";
    for (const std::string &w : c.warnings)
      out += wrap_text(w, 100, "  ");
  }
  return out;
}

std::string calibrated_scenario(const Calibration &c, const std::string &base,
                                const std::string &name, const nlohmann::json &base_document) {
  ordered_json out;
  out["extends"] = base;
  out["name"] = name;
  ordered_json lifecycle = ordered_json::object();
  bool work_fitted = false;
  for (const ChannelCalibration &ch : c.channels) {
    const std::string channel(models::channel_names[models::index_of(ch.channel)]);
    if (ch.handle.distribution) {
      work_fitted = true;
      lifecycle["work_minutes"][channel] =
          replacing(ch.handle.distribution->spec(),
                    find_at(base_document, {"lifecycle", "work_minutes", channel}));
    }
    if (ch.patience && ch.patience->distribution)
      lifecycle["patience_minutes"][channel] =
          replacing(ch.patience->distribution->spec(),
                    find_at(base_document, {"lifecycle", "patience_minutes", channel}));
  }
  // The fitted work is of observed handle times, every priority and product mixed in: the
  // base's factors would multiply them a second time, so they go back to 1.
  if (work_fitted) {
    lifecycle["priority_work_factor"] = nullptr;
    lifecycle["product_work_factor"] = nullptr;
  }
  if (const auto touches = touches_spec(c.touches))
    lifecycle["touches"] = replacing(*touches, find_at(base_document, {"lifecycle", "touches"}));
  if (c.reopen.n > 0) lifecycle["reopen_probability"] = c.reopen.share;
  out["lifecycle"] = std::move(lifecycle);
  return out.dump(2) + "\n";
}

} // namespace supportsim::analysis
