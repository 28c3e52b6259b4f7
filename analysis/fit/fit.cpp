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

} // namespace

std::string fit_demand(models::CaseReplay &cases, const models::OrganisationConfig &organisation,
                       const std::string &base, const std::string &name, FitReport &report) {
  const std::size_t regions = organisation.regions.size();
  if (regions == 0) throw std::invalid_argument("the organisation has no regions");
  const std::size_t languages = organisation.languages.size();
  const std::size_t products = organisation.products.size();
  report = FitReport{};
  report.region_cases.assign(regions, 0);

  // --- One pass over the export: counters only ---------------------------------------------
  std::vector<RegionTally> tally(regions);
  for (std::size_t r = 0; r < regions; ++r) {
    tally[r].zone = sim::find_zone(organisation.regions[r].time_zone);
    tally[r].languages.assign(languages, 0);
    for (const models::Date &d : organisation.regions[r].holidays)
      tally[r].holidays.insert(
          static_cast<int>(std::chrono::sys_days(d).time_since_epoch().count()));
  }
  std::array<double, 24> hourly_counts{};
  std::vector<std::uint64_t> monthly;                       // by month since the first case
  std::vector<std::uint64_t> language_pooled(languages, 0); // every case with a language
  std::vector<std::uint64_t> priority(models::priority_count, 0);
  std::vector<std::uint64_t> channel(models::channel_count, 0);
  std::vector<std::uint64_t> segment(models::segment_count, 0);
  std::vector<std::uint64_t> product(products, 0);
  std::optional<sim::Clock> clock; // epoch: the UTC hour of the first case
  sim::SimTime first{}, last{};

  models::ReplayedCase c;
  while (cases.next(c)) {
    if (!clock) {
      clock.emplace(std::chrono::floor<std::chrono::hours>(c.created));
      first = last = clock->from_utc(c.created);
      report.first = c.created;
    }
    const sim::SimTime t = clock->from_utc(c.created);
    if (t < last)
      throw std::invalid_argument(fmt::format(
          "case {} was created at {}, before the case above it ({}): cases must be in time order",
          report.cases + 1, clock->format_utc(t), clock->format_utc(last)));
    last = t;
    report.last = c.created;
    ++report.cases;

    if (c.region && *c.region >= regions)
      throw std::invalid_argument(fmt::format("case {} has region {}, the organisation has {}",
                                              report.cases, *c.region, regions));
    const std::size_t r = c.region ? *c.region : 0;
    RegionTally &region = tally[r];
    const LocalReading local = read_local(*clock, region.zone, t);
    hourly_counts[local.hour] += 1;
    ++region.daily[local.day];
    const auto month = static_cast<std::size_t>((t - first).to_minutes() / minutes_per_month);
    if (monthly.size() <= month) monthly.resize(month + 1, 0);
    ++monthly[month];

    if (c.region) {
      ++region.given;
      ++report.region_cases[r];
    } else {
      ++report.without_region;
    }
    if (c.language && *c.language < languages) {
      ++language_pooled[*c.language];
      if (c.region) ++region.languages[*c.language];
    }
    if (c.priority) ++priority[models::index_of(*c.priority)];
    if (c.channel) ++channel[models::index_of(*c.channel)];
    if (c.segment) ++segment[models::index_of(*c.segment)];
    if (c.product && *c.product < products) ++product[*c.product];
  }
  if (report.cases == 0) throw std::invalid_argument("no cases to fit");

  const double span_minutes = (last - first).to_minutes();
  report.days = static_cast<std::uint64_t>(std::ceil(span_minutes / (24 * 60)));
  const auto full_months = static_cast<std::size_t>(span_minutes / minutes_per_month);
  report.full_months = full_months;
  monthly.resize(std::max<std::size_t>(monthly.size(), full_months + 1), 0);

  // --- Hourly profile: cases per local hour, mean 1 -----------------------------------------
  const std::array<double, 24> hourly = mean_one(hourly_counts);

  // --- Weekly profile: per region, cases per whole local weekday (holidays left out) over the
  // number of such days; summed over regions, mean 1 ------------------------------------------
  std::vector<std::pair<int, int>> local_span(regions); // local days of the first and last case
  for (std::size_t r = 0; r < regions; ++r)
    local_span[r] = {read_local(*clock, tally[r].zone, first).day,
                     read_local(*clock, tally[r].zone, last).day};
  auto full_day = [&](std::size_t r, int day) {
    return day > local_span[r].first && day < local_span[r].second &&
           !tally[r].holidays.contains(day);
  };
  auto weekday_of = [](int day) {
    return sim::weekday_of(std::chrono::local_days(std::chrono::days(day)));
  };
  std::array<double, 7> weekly_levels{}, weekday_days{};
  bool every_weekday = true;
  for (std::size_t r = 0; r < regions; ++r) {
    const int from = local_span[r].first + 1;
    const int to = local_span[r].second; // exclusive
    std::array<double, 7> cases_on{}, days_on{};
    for (int day = from; day < to; ++day) {
      if (!full_day(r, day)) continue;
      const auto it = tally[r].daily.find(day);
      cases_on[weekday_of(day)] +=
          it == tally[r].daily.end() ? 0.0 : static_cast<double>(it->second);
      days_on[weekday_of(day)] += 1;
      ++report.full_days;
    }
    for (std::size_t w = 0; w < 7; ++w) {
      if (days_on[w] > 0) weekly_levels[w] += cases_on[w] / days_on[w];
      weekday_days[w] += days_on[w];
    }
  }
  // Every weekday needs at least one whole day to be estimated, and some whole day a case.
  for (std::size_t w = 0; w < 7; ++w)
    if (!(weekday_days[w] > 0)) every_weekday = false;
  if (!(std::accumulate(weekly_levels.begin(), weekly_levels.end(), 0.0) > 0))
    every_weekday = false;
  std::array<double, 7> weekly{};
  if (every_weekday) {
    weekly = mean_one(weekly_levels);
  } else {
    std::array<double, 7> base_weekly{};
    std::copy(organisation.demand.weekly_profile.begin(), organisation.demand.weekly_profile.end(),
              base_weekly.begin());
    weekly = mean_one(base_weekly);
  }

  // --- Region shares: cases per given region ---------------------------------------------------
  const std::uint64_t regioned = total_of(report.region_cases);
  std::vector<double> shares(regions, 0.0);
  std::vector<double> written_shares;
  if (regioned > 0) {
    written_shares = rounded_shares(report.region_cases);
    shares = written_shares;
  } else {
    for (std::size_t r = 0; r < regions; ++r)
      shares[r] = organisation.regions[r].demand_share;
  }

  // --- Exposure: the fitted profiles integrated hour by hour ---------------------------------
  // weight(r, hour) = hourly[local hour] · weekly[local weekday] · (holiday_factor on the
  // region's holidays), read at the UTC hour's midpoint as models::Demand does. E[k] is the
  // share-weighted weight integrated over month k (within the span), in months: a month of flat
  // profiles has E = 1.
  const double holiday_factor = organisation.demand.holiday_factor;
  auto weight = [&](std::size_t r, const LocalReading &local) {
    return hourly[local.hour] * weekly[local.weekday] *
           (tally[r].holidays.contains(local.day) ? holiday_factor : 1.0);
  };
  const auto hour_slots = static_cast<std::size_t>(std::ceil(last.to_minutes() / 60.0)) + 1;
  const double first_minutes = first.to_minutes();
  std::vector<double> exposure(monthly.size(), 0.0);
  for (std::size_t h = 0; h < hour_slots; ++h) {
    const sim::SimTime start = sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(h));
    const sim::SimTime mid = start + sim::Duration::minutes(30);
    double w = 0;
    for (std::size_t r = 0; r < regions; ++r)
      w += shares[r] * weight(r, read_local(*clock, tally[r].zone, mid));
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

  // --- Volume and growth: least squares through log(cases / exposure) of the whole months ----
  double growth = 0, volume = 0;
  if (full_months >= 2) {
    std::vector<double> x, y;
    for (std::size_t k = 0; k < full_months; ++k)
      if (monthly[k] > 0 && exposure[k] > 0) {
        x.push_back(static_cast<double>(k));
        y.push_back(std::log(static_cast<double>(monthly[k]) / exposure[k]));
      }
    if (x.size() >= 2) {
      const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
      const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
      double sxy = 0, sxx = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
      }
      growth = std::expm1(sxy / sxx);
    }
    double cases_in = 0, expected = 0;
    for (std::size_t k = 0; k < full_months; ++k) {
      cases_in += static_cast<double>(monthly[k]);
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
  report.growth_per_month = growth;
  report.cases_per_month = volume;
  report.last_month_volume =
      volume *
      std::pow(1 + growth, static_cast<double>(std::max<std::size_t>(monthly.size(), 1) - 1));

  // --- daily_cv: overdispersed Poisson on whole local days ------------------------------------
  // Expected cases of region r on day d: m = A_r · D_rd, D_rd the day's hours' weights times
  // the growth of their month, A_r fitted so that the region's days sum to their cases. Then
  // Var(N) = m + cv²·m², so cv² = Σ((N − m)² − m) / Σ m².
  std::optional<double> daily_cv;
  {
    std::vector<std::map<int, double>> day_weights(regions);
    for (std::size_t h = 0; h < hour_slots; ++h) {
      const sim::SimTime mid = sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(h)) +
                               sim::Duration::minutes(30);
      const double month =
          std::floor(std::max(mid.to_minutes() - first_minutes, 0.0) / minutes_per_month);
      const double trend = std::pow(1 + growth, month);
      for (std::size_t r = 0; r < regions; ++r) {
        const LocalReading local = read_local(*clock, tally[r].zone, mid);
        if (full_day(r, local.day)) day_weights[r][local.day] += weight(r, local) * trend;
      }
    }
    double excess = 0, squares = 0;
    for (std::size_t r = 0; r < regions; ++r) {
      double observed = 0, weights = 0;
      for (const auto &[day, w] : day_weights[r]) {
        const auto it = tally[r].daily.find(day);
        observed += it == tally[r].daily.end() ? 0.0 : static_cast<double>(it->second);
        weights += w;
      }
      if (observed <= 0 || weights <= 0) continue;
      const double level = observed / weights;
      for (const auto &[day, w] : day_weights[r]) {
        const auto it = tally[r].daily.find(day);
        const double n = it == tally[r].daily.end() ? 0.0 : static_cast<double>(it->second);
        const double m = level * w;
        excess += (n - m) * (n - m) - m;
        squares += m * m;
      }
    }
    if (squares > 0) daily_cv = round_to(std::sqrt(std::max(0.0, excess) / squares), 3);
  }
  report.daily_cv = daily_cv.value_or(0.0);

  // --- The scenario file -----------------------------------------------------------------------
  ordered_json out = ordered_json::object();
  out["extends"] = base;
  out["name"] = name;
  out["description"] = fmt::format("Demand fitted by supportsim fit from {} cases created {} to {}",
                                   report.cases, clock->format_utc(first), clock->format_utc(last));

  const bool any_language = total_of(language_pooled) > 0;
  ordered_json region_list = ordered_json::array();
  for (std::size_t r = 0; r < regions; ++r) {
    const models::RegionConfig &config = organisation.regions[r];
    ordered_json region = ordered_json::object();
    region["name"] = config.name;
    if (regioned > 0) region["demand_share"] = written_shares[r];
    // Per region from its own cases; pooled when the export never names a region.
    const std::vector<std::uint64_t> &counts = regioned > 0 ? tally[r].languages : language_pooled;
    if (any_language && total_of(counts) > 0) {
      std::vector<bool> keep(languages, false);
      for (std::size_t l = 0; l < languages; ++l)
        keep[l] = counts[l] > 0 || (l < config.language_mix.size() && config.language_mix[l] > 0);
      region["languages"] = mix(organisation.languages, counts, keep);
    }
    // A region's own hourly profile would hide the fitted one.
    if (config.hourly_profile) region["hourly_profile"] = nullptr;
    if (region.size() > 1) region_list.push_back(std::move(region));
  }
  if (!region_list.empty()) out["regions"] = std::move(region_list);

  ordered_json demand = ordered_json::object();
  demand["cases_per_month"] = volume;
  demand["growth_per_month"] = growth;
  demand["hourly_profile"] = hourly;
  report.fitted = {"cases_per_month", "growth_per_month", "hourly_profile"};
  if (every_weekday) {
    demand["weekly_profile"] = weekly;
    report.fitted.push_back("weekly_profile");
  }
  if (daily_cv) {
    demand["daily_cv"] = *daily_cv;
    report.fitted.push_back("daily_cv");
  }
  auto all = [](std::size_t n) { return std::vector<bool>(n, true); };
  if (total_of(priority) > 0) {
    demand["priority_mix"] = mix(models::priority_names, priority, all(priority.size()));
    report.fitted.push_back("priority_mix");
  }
  if (total_of(channel) > 0) {
    demand["channel_mix"] = mix(models::channel_names, channel, all(channel.size()));
    report.fitted.push_back("channel_mix");
  }
  if (total_of(segment) > 0) {
    demand["segment_mix"] = mix(models::segment_names, segment, all(segment.size()));
    report.fitted.push_back("segment_mix");
  }
  if (total_of(product) > 0) {
    std::vector<bool> keep(products, false);
    for (std::size_t p = 0; p < products; ++p)
      keep[p] = product[p] > 0 || (p < organisation.demand.product_mix.size() &&
                                   organisation.demand.product_mix[p] > 0);
    demand["product_mix"] = mix(organisation.products, product, keep);
    report.fitted.push_back("product_mix");
  }
  if (regioned > 0) report.fitted.push_back("regions/demand_share");
  if (any_language) report.fitted.push_back("regions/languages");
  out["demand"] = std::move(demand);
  return out.dump(2) + "\n";
}

} // namespace supportsim::analysis
