#include "analysis/fit/fit.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>

namespace supportsim::analysis {

namespace {

using ordered_json = nlohmann::ordered_json;
using models::days_per_month;
constexpr double minutes_per_month = days_per_month * 24 * 60;

/// Where an instant falls on a region's wall clock.
struct LocalReading {
  int day;             // local day number (days since 1970-01-01 on the local calendar)
  std::size_t hour;    // 0 .. 23
  std::size_t weekday; // 0 = Monday .. 6 = Sunday
};

LocalReading read_local(const sim::Clock &clock, const date::time_zone *zone, sim::SimTime t) {
  const sim::LocalTime local = clock.to_local(zone, t);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  return {static_cast<int>(day.time_since_epoch().count()), sim::hour_of(local),
          sim::weekday_of(day)};
}

/// What one region's cases add up to while the export streams past.
struct RegionTally {
  const date::time_zone *zone = nullptr;
  std::set<int> holidays;               // local day numbers
  std::map<int, std::uint64_t> daily;   // local day -> cases (given or defaulted here)
  std::vector<std::uint64_t> languages; // cases with this region and a language
  std::uint64_t given = 0;              // cases whose region is this one
};

/// `x` to `digits` significant digits.
double significant(double x, int digits) {
  if (x == 0 || !std::isfinite(x)) return x;
  const int magnitude = static_cast<int>(std::ceil(std::log10(std::fabs(x))));
  const double scale = std::pow(10.0, digits - magnitude);
  return std::round(x * scale) / scale;
}

double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

/// Shares of `counts` in steps of 1e-4 that sum to exactly 10 000 steps: each rounded, the
/// difference given to (or taken from) the largest.
std::vector<double> rounded_shares(const std::vector<std::uint64_t> &counts) {
  const double total =
      static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}));
  std::vector<long> steps(counts.size(), 0);
  for (std::size_t i = 0; i < counts.size(); ++i)
    steps[i] = std::lround(10000.0 * static_cast<double>(counts[i]) / total);
  const long sum = std::accumulate(steps.begin(), steps.end(), 0L);
  const auto largest = std::max_element(steps.begin(), steps.end());
  *largest += 10000 - sum;
  std::vector<double> shares;
  for (long s : steps)
    shares.push_back(static_cast<double>(s) / 10000.0);
  return shares;
}

/// A mix object over `names` (only those where `keep` is true), from counts.
ordered_json mix(const auto &names, const std::vector<std::uint64_t> &counts,
                 const std::vector<bool> &keep) {
  std::vector<std::uint64_t> kept;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (keep[i]) kept.push_back(counts[i]);
  const std::vector<double> shares = rounded_shares(kept);
  ordered_json out = ordered_json::object();
  std::size_t k = 0;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (keep[i]) out[std::string(names[i])] = shares[k++];
  return out;
}

/// A profile scaled to mean 1, to 4 significant digits.
template <std::size_t N> std::array<double, N> mean_one(const std::array<double, N> &weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i)
    out[i] = sum > 0 ? significant(weights[i] * static_cast<double>(N) / sum, 4) : 1.0;
  return out;
}

std::uint64_t total_of(const std::vector<std::uint64_t> &counts) {
  return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

/// What the one pass over the export counts.
struct ExportTally {
  std::vector<RegionTally> regions;
  std::array<double, 24> hourly{};      // cases per local hour
  std::vector<std::uint64_t> monthly;   // by month since the first case
  std::vector<std::uint64_t> languages; // every case with a language
  std::vector<std::uint64_t> priority, channel, segment, product;
  std::optional<sim::Clock> clock; // epoch: the UTC hour of the first case
  sim::SimTime first{}, last{};
};

ExportTally start_tally(const models::OrganisationConfig &organisation) {
  ExportTally t;
  const std::size_t languages = organisation.languages.size();
  t.regions.resize(organisation.regions.size());
  for (std::size_t r = 0; r < t.regions.size(); ++r) {
    t.regions[r].zone = sim::find_zone(organisation.regions[r].time_zone);
    t.regions[r].languages.assign(languages, 0);
    for (const models::Date &d : organisation.regions[r].holidays)
      t.regions[r].holidays.insert(
          static_cast<int>(std::chrono::sys_days(d).time_since_epoch().count()));
  }
  t.languages.assign(languages, 0);
  t.priority.assign(models::priority_count, 0);
  t.channel.assign(models::channel_count, 0);
  t.segment.assign(models::segment_count, 0);
  t.product.assign(organisation.products.size(), 0);
  return t;
}

/// Counts one case (creation times in order, checked here).
void count_case(ExportTally &t, const models::ReplayedCase &c, FitReport &report) {
  const std::size_t regions = t.regions.size();
  if (!t.clock) {
    t.clock.emplace(std::chrono::floor<std::chrono::hours>(c.created));
    t.first = t.last = t.clock->from_utc(c.created);
    report.first = c.created;
  }
  const sim::SimTime at = t.clock->from_utc(c.created);
  if (at < t.last)
    throw std::invalid_argument(fmt::format(
        "case {} was created at {}, before the case above it ({}): cases must be in time order",
        report.cases + 1, t.clock->format_utc(at), t.clock->format_utc(t.last)));
  t.last = at;
  report.last = c.created;
  ++report.cases;

  if (c.region && *c.region >= regions)
    throw std::invalid_argument(fmt::format("case {} has region {}, the organisation has {}",
                                            report.cases, *c.region, regions));
  const std::size_t r = c.region ? *c.region : 0;
  RegionTally &region = t.regions[r];
  const LocalReading local = read_local(*t.clock, region.zone, at);
  t.hourly[local.hour] += 1;
  ++region.daily[local.day];
  const auto month = static_cast<std::size_t>((at - t.first).to_minutes() / minutes_per_month);
  if (t.monthly.size() <= month) t.monthly.resize(month + 1, 0);
  ++t.monthly[month];

  if (c.region) {
    ++region.given;
    ++report.region_cases[r];
  } else {
    ++report.without_region;
  }
  if (c.language && *c.language < t.languages.size()) {
    ++t.languages[*c.language];
    if (c.region) ++region.languages[*c.language];
  }
  if (c.priority) ++t.priority[models::index_of(*c.priority)];
  if (c.channel) ++t.channel[models::index_of(*c.channel)];
  if (c.segment) ++t.segment[models::index_of(*c.segment)];
  if (c.product && *c.product < t.product.size()) ++t.product[*c.product];
}

/// The one pass over the export: counters only.
ExportTally tally_export(models::CaseReplay &cases, const models::OrganisationConfig &organisation,
                         FitReport &report) {
  ExportTally t = start_tally(organisation);
  models::ReplayedCase c;
  while (cases.next(c))
    count_case(t, c, report);
  if (report.cases == 0) throw std::invalid_argument("no cases to fit");
  const double span_minutes = (t.last - t.first).to_minutes();
  report.days = static_cast<std::uint64_t>(std::ceil(span_minutes / (24 * 60)));
  report.full_months = static_cast<std::size_t>(span_minutes / minutes_per_month);
  t.monthly.resize(std::max<std::size_t>(t.monthly.size(), report.full_months + 1), 0);
  return t;
}

/// Whole local days of the span per region: after the first case's day, before the last's, not
/// a holiday.
class FullDays {
public:
  explicit FullDays(const ExportTally &t) : tally_(t) {
    for (const RegionTally &region : t.regions)
      span_.emplace_back(read_local(*t.clock, region.zone, t.first).day,
                         read_local(*t.clock, region.zone, t.last).day);
  }
  bool operator()(std::size_t r, int day) const {
    return day > span_[r].first && day < span_[r].second &&
           !tally_.regions[r].holidays.contains(day);
  }
  int first(std::size_t r) const { return span_[r].first; }
  int last(std::size_t r) const { return span_[r].second; }

private:
  const ExportTally &tally_;
  std::vector<std::pair<int, int>> span_; // local days of the first and last case
};

/// Weekly profile: per region, cases per whole local weekday (holidays left out) over the
/// number of such days; summed over regions, mean 1. Nothing where a weekday has no whole day
/// or no whole day has a case.
std::optional<std::array<double, 7>> fit_weekly(const ExportTally &t, const FullDays &full_day,
                                                FitReport &report) {
  auto weekday_of = [](int day) {
    return sim::weekday_of(std::chrono::local_days(std::chrono::days(day)));
  };
  std::array<double, 7> weekly_levels{}, weekday_days{};
  for (std::size_t r = 0; r < t.regions.size(); ++r) {
    std::array<double, 7> cases_on{}, days_on{};
    for (int day = full_day.first(r) + 1; day < full_day.last(r); ++day) {
      if (!full_day(r, day)) continue;
      const auto it = t.regions[r].daily.find(day);
      cases_on[weekday_of(day)] +=
          it == t.regions[r].daily.end() ? 0.0 : static_cast<double>(it->second);
      days_on[weekday_of(day)] += 1;
      ++report.full_days;
    }
    for (std::size_t w = 0; w < 7; ++w) {
      if (days_on[w] > 0) weekly_levels[w] += cases_on[w] / days_on[w];
      weekday_days[w] += days_on[w];
    }
  }
  for (std::size_t w = 0; w < 7; ++w)
    if (!(weekday_days[w] > 0)) return std::nullopt;
  if (!(std::accumulate(weekly_levels.begin(), weekly_levels.end(), 0.0) > 0)) return std::nullopt;
  return mean_one(weekly_levels);
}

/// The demand's shape: the fitted profiles and region shares (the base's where not fitted),
/// which the exposure and the daily noise are measured against.
struct Shape {
  std::array<double, 24> hourly{};
  std::array<double, 7> weekly{};
  std::vector<double> shares; // per region
  double holiday_factor = 1;
  /// weight(r, hour): hourly[local hour] · weekly[local weekday] · (holiday_factor on the
  /// region's holidays), read at the UTC hour's midpoint as models::Demand does.
  double weight(const ExportTally &t, std::size_t r, const LocalReading &local) const {
    return hourly[local.hour] * weekly[local.weekday] *
           (t.regions[r].holidays.contains(local.day) ? holiday_factor : 1.0);
  }
};

/// UTC hour slots from the clock's epoch to the last case.
std::size_t hour_slots(const ExportTally &t) {
  return static_cast<std::size_t>(std::ceil(t.last.to_minutes() / 60.0)) + 1;
}

/// Exposure: E[k] is the share-weighted weight integrated over month k (within the span), in
/// months: a month of flat profiles has E = 1.
std::vector<double> exposure_by_month(const ExportTally &t, const Shape &shape) {
  const double first_minutes = t.first.to_minutes();
  const double span_minutes = (t.last - t.first).to_minutes();
  std::vector<double> exposure(t.monthly.size(), 0.0);
  for (std::size_t h = 0; h < hour_slots(t); ++h) {
    const sim::SimTime start = sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(h));
    const sim::SimTime mid = start + sim::Duration::minutes(30);
    double w = 0;
    for (std::size_t r = 0; r < t.regions.size(); ++r)
      w += shape.shares[r] * shape.weight(t, r, read_local(*t.clock, t.regions[r].zone, mid));
    // The hour's part inside the span, split at month boundaries (minutes since the first case).
    double lo = std::max(start.to_minutes() - first_minutes, 0.0);
    const double hi = std::min(start.to_minutes() + 60 - first_minutes, span_minutes);
    while (lo < hi) {
      const auto k =
          std::min(static_cast<std::size_t>(lo / minutes_per_month), exposure.size() - 1);
      const double end = std::min(hi, static_cast<double>(k + 1) * minutes_per_month);
      if (end <= lo) break;
      exposure[k] += w * (end - lo) / minutes_per_month;
      lo = end;
    }
  }
  return exposure;
}

/// Growth per month: least squares through log(cases / exposure) of the whole months (0 with
/// fewer than two such months with cases).
double fit_growth(const std::vector<std::uint64_t> &monthly, const std::vector<double> &exposure,
                  std::size_t full_months) {
  std::vector<double> x, y;
  for (std::size_t k = 0; k < full_months; ++k)
    if (monthly[k] > 0 && exposure[k] > 0) {
      x.push_back(static_cast<double>(k));
      y.push_back(std::log(static_cast<double>(monthly[k]) / exposure[k]));
    }
  if (x.size() < 2) return 0;
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return std::expm1(sxy / sxx);
}

/// Volume and growth, rounded as written, into `demand` and the report.
void fit_volume(const ExportTally &t, const std::vector<double> &exposure,
                models::DemandConfig &demand, FitReport &report) {
  const std::size_t full_months = report.full_months;
  double growth = 0, volume = 0;
  if (full_months >= 2) {
    growth = fit_growth(t.monthly, exposure, full_months);
    double cases_in = 0, expected = 0;
    for (std::size_t k = 0; k < full_months; ++k) {
      cases_in += static_cast<double>(t.monthly[k]);
      expected += exposure[k] * std::pow(1 + growth, static_cast<double>(k));
    }
    volume = expected > 0 ? cases_in / expected : cases_in / static_cast<double>(full_months);
  } else {
    const double expected = std::accumulate(exposure.begin(), exposure.end(), 0.0);
    volume = expected > 0 ? static_cast<double>(report.cases) / expected
                          : static_cast<double>(report.cases);
  }
  growth = round_to(growth, 5);
  volume = volume >= 100 ? std::round(volume) : significant(volume, 4);
  demand.growth_per_month = report.growth_per_month = growth;
  demand.cases_per_month = report.cases_per_month = volume;
  report.last_month_volume =
      volume *
      std::pow(1 + growth, static_cast<double>(std::max<std::size_t>(t.monthly.size(), 1) - 1));
}

/// daily_cv: overdispersed Poisson on whole local days. Expected cases of region r on day d:
/// m = A_r · D_rd, D_rd the day's hours' weights times the growth of their month, A_r fitted so
/// that the region's days sum to their cases. Then Var(N) = m + cv²·m², so
/// cv² = Σ((N − m)² − m) / Σ m². Nothing without a whole day with cases.
std::optional<double> fit_daily_cv(const ExportTally &t, const Shape &shape,
                                   const FullDays &full_day, double growth) {
  const std::size_t regions = t.regions.size();
  const double first_minutes = t.first.to_minutes();
  std::vector<std::map<int, double>> day_weights(regions);
  for (std::size_t h = 0; h < hour_slots(t); ++h) {
    const sim::SimTime mid = sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(h)) +
                             sim::Duration::minutes(30);
    const double month =
        std::floor(std::max(mid.to_minutes() - first_minutes, 0.0) / minutes_per_month);
    const double trend = std::pow(1 + growth, month);
    for (std::size_t r = 0; r < regions; ++r) {
      const LocalReading local = read_local(*t.clock, t.regions[r].zone, mid);
      if (full_day(r, local.day)) day_weights[r][local.day] += shape.weight(t, r, local) * trend;
    }
  }
  auto cases_on = [&](std::size_t r, int day) {
    const auto it = t.regions[r].daily.find(day);
    return it == t.regions[r].daily.end() ? 0.0 : static_cast<double>(it->second);
  };
  double excess = 0, squares = 0;
  for (std::size_t r = 0; r < regions; ++r) {
    double observed = 0, weights = 0;
    for (const auto &[day, w] : day_weights[r]) {
      observed += cases_on(r, day);
      weights += w;
    }
    if (observed <= 0 || weights <= 0) continue;
    const double level = observed / weights;
    for (const auto &[day, w] : day_weights[r]) {
      const double n = cases_on(r, day);
      const double m = level * w;
      excess += (n - m) * (n - m) - m;
      squares += m * m;
    }
  }
  if (!(squares > 0)) return std::nullopt;
  return round_to(std::sqrt(std::max(0.0, excess) / squares), 3);
}

/// The mixes the export gives (priority, channel, segment, product) into `demand`, each marked
/// fitted; a product is written where the export or the base has it.
void fit_mixes(const ExportTally &t, const models::OrganisationConfig &organisation,
               FittedDemand &fitted, FitReport &report) {
  // A mix is fitted where the export gives its attribute at all.
  auto fit_mix = [&](bool &fitted_key, auto &mix, const std::vector<std::uint64_t> &counts,
                     const char *key) {
    fitted_key = total_of(counts) > 0;
    if (!fitted_key) return;
    const std::vector<double> shares = rounded_shares(counts);
    std::copy(shares.begin(), shares.end(), mix.begin());
    report.fitted.push_back(key);
  };
  fit_mix(fitted.keys.priority_mix, fitted.demand.priority_mix, t.priority, "priority_mix");
  fit_mix(fitted.keys.channel_mix, fitted.demand.channel_mix, t.channel, "channel_mix");
  fit_mix(fitted.keys.segment_mix, fitted.demand.segment_mix, t.segment, "segment_mix");
  fitted.keys.product_mix = total_of(t.product) > 0;
  if (fitted.keys.product_mix) {
    fitted.demand.product_mix = rounded_shares(t.product);
    for (std::size_t p = 0; p < t.product.size(); ++p)
      fitted.keys.products.push_back(
          t.product[p] > 0 ||
          (p < organisation.demand.product_mix.size() && organisation.demand.product_mix[p] > 0));
    report.fitted.push_back("product_mix");
  }
}

/// Per region: its share of the cases that name a region, and its language mix (from its own
/// cases; pooled when the export never names a region).
void fit_regions(const ExportTally &t, const models::OrganisationConfig &organisation,
                 FittedDemand &fitted, const FitReport &report) {
  const std::size_t languages = organisation.languages.size();
  const bool regioned = total_of(report.region_cases) > 0;
  if (regioned) fitted.region_shares = rounded_shares(report.region_cases);
  fitted.languages_given = total_of(t.languages) > 0;
  for (std::size_t r = 0; r < t.regions.size(); ++r) {
    const models::RegionConfig &config = organisation.regions[r];
    const std::vector<std::uint64_t> &counts = regioned ? t.regions[r].languages : t.languages;
    FittedDemand::Languages mix;
    if (fitted.languages_given && total_of(counts) > 0) {
      mix.keep.assign(languages, false);
      for (std::size_t l = 0; l < languages; ++l)
        mix.keep[l] =
            counts[l] > 0 || (l < config.language_mix.size() && config.language_mix[l] > 0);
      mix.counts = counts;
    }
    fitted.region_languages.push_back(std::move(mix));
  }
}

/// The regions part of the fitted file: share, languages, and no hourly profile of its own
/// (which would hide the fitted one); regions with nothing to say are left out.
ordered_json regions_json(const FittedDemand &fitted,
                          const models::OrganisationConfig &organisation) {
  ordered_json list = ordered_json::array();
  for (std::size_t r = 0; r < organisation.regions.size(); ++r) {
    const models::RegionConfig &config = organisation.regions[r];
    const FittedDemand::Languages &languages = fitted.region_languages[r];
    ordered_json region = ordered_json::object();
    region["name"] = config.name;
    if (!fitted.region_shares.empty()) region["demand_share"] = fitted.region_shares[r];
    if (!languages.keep.empty())
      region["languages"] = mix(organisation.languages, languages.counts, languages.keep);
    if (config.hourly_profile) region["hourly_profile"] = nullptr;
    if (region.size() > 1) list.push_back(std::move(region));
  }
  return list;
}

} // namespace

FittedDemand estimate_demand(models::CaseReplay &cases,
                             const models::OrganisationConfig &organisation, FitReport &report) {
  const std::size_t regions = organisation.regions.size();
  if (regions == 0) throw std::invalid_argument("the organisation has no regions");
  report = FitReport{};
  report.region_cases.assign(regions, 0);
  const ExportTally t = tally_export(cases, organisation, report);
  const FullDays full_day(t);

  FittedDemand fitted;
  fitted.demand = organisation.demand;
  fitted.keys.holiday_factor = false;
  fitted.keys.incidents = false;
  fitted.first = t.clock->format_utc(t.first);
  fitted.last = t.clock->format_utc(t.last);
  fit_regions(t, organisation, fitted, report);

  Shape shape;
  shape.hourly = mean_one(t.hourly);
  const std::optional<std::array<double, 7>> weekly = fit_weekly(t, full_day, report);
  std::array<double, 7> base_weekly{};
  std::copy(organisation.demand.weekly_profile.begin(), organisation.demand.weekly_profile.end(),
            base_weekly.begin());
  shape.weekly = weekly ? *weekly : mean_one(base_weekly);
  for (std::size_t r = 0; r < regions; ++r)
    shape.shares.push_back(fitted.region_shares.empty() ? organisation.regions[r].demand_share
                                                        : fitted.region_shares[r]);
  shape.holiday_factor = organisation.demand.holiday_factor;

  fitted.demand.hourly_profile = shape.hourly;
  fit_volume(t, exposure_by_month(t, shape), fitted.demand, report);
  report.fitted = {"cases_per_month", "growth_per_month", "hourly_profile"};
  fitted.keys.weekly_profile = weekly.has_value();
  if (weekly) {
    fitted.demand.weekly_profile = *weekly;
    report.fitted.push_back("weekly_profile");
  }
  const std::optional<double> daily_cv =
      fit_daily_cv(t, shape, full_day, fitted.demand.growth_per_month);
  report.daily_cv = daily_cv.value_or(0.0);
  fitted.keys.daily_cv = daily_cv.has_value();
  if (daily_cv) {
    fitted.demand.daily_cv = *daily_cv;
    report.fitted.push_back("daily_cv");
  }
  fit_mixes(t, organisation, fitted, report);
  if (!fitted.region_shares.empty()) report.fitted.push_back("regions/demand_share");
  if (fitted.languages_given) report.fitted.push_back("regions/languages");
  return fitted;
}

std::string fitted_scenario(const FittedDemand &fitted,
                            const models::OrganisationConfig &organisation, const std::string &base,
                            const std::string &name, const FitReport &report) {
  ordered_json out = ordered_json::object();
  out["extends"] = base;
  out["name"] = name;
  out["description"] = fmt::format("Demand fitted by supportsim fit from {} cases created {} to {}",
                                   report.cases, fitted.first, fitted.last);
  ordered_json regions = regions_json(fitted, organisation);
  if (!regions.empty()) out["regions"] = std::move(regions);
  out["demand"] = scenarios::demand_json(fitted.demand, organisation, fitted.keys);
  return out.dump(2) + "\n";
}

std::string fit_demand(models::CaseReplay &cases, const models::OrganisationConfig &organisation,
                       const std::string &base, const std::string &name, FitReport &report) {
  const FittedDemand fitted = estimate_demand(cases, organisation, report);
  return fitted_scenario(fitted, organisation, base, name, report);
}

} // namespace supportsim::analysis
