// `supportsim fit`: a year of demand synthesised with known parameters is fitted back, and each
// parameter comes back within a few standard errors; attributes an export lacks leave their
// mixes out; the output loads as a scenario.
#include "analysis/fit/fit.hpp"
#include "models/demand.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/vector_replay.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

namespace {

using namespace supportsim;

using testing::synthesised;
using testing::VectorReplay;

/// The default organisation over `days` with demand unlike the default's: known parameters.
models::OrganisationConfig known(double days) {
  models::OrganisationConfig o = scenarios::default_scenario().organisation;
  o.horizon = sim::Duration::days(static_cast<long>(days));
  // Languages: de en es fr ja pt; products: Billing CDN DNS WAF Workers Zero Trust (sorted).
  REQUIRE(o.languages == std::vector<std::string>{"de", "en", "es", "fr", "ja", "pt"});
  REQUIRE(o.products.size() == 6);
  REQUIRE(o.regions.size() == 3);
  o.regions[0].demand_share = 0.5; // AMER, America/Chicago
  o.regions[1].demand_share = 0.3; // EMEA, Europe/Berlin
  o.regions[2].demand_share = 0.2; // APJC, Asia/Singapore
  o.regions[0].language_mix = {0.0, 0.7, 0.2, 0.0, 0.0, 0.1};
  o.regions[1].language_mix = {0.3, 0.4, 0.05, 0.2, 0.0, 0.05};
  o.regions[2].language_mix = {0.0, 0.5, 0.0, 0.0, 0.5, 0.0};
  models::DemandConfig &d = o.demand;
  d.cases_per_month = 10000;
  d.growth_per_month = 0.02;
  d.daily_cv = 0.2;
  for (std::size_t h = 0; h < 24; ++h)
    d.hourly_profile[h] = h < 6 ? 0.2 : h < 9 ? 1.0 : h < 12 ? 2.5 : h < 18 ? 2.0 : 0.6;
  d.weekly_profile = {1.4, 1.2, 1.1, 1.0, 0.9, 0.3, 0.2};
  d.priority_mix = {0.05, 0.15, 0.3, 0.5};
  d.channel_mix = {0.2, 0.25, 0.55};
  d.segment_mix = {0.1, 0.2, 0.3, 0.25, 0.15};
  d.product_mix = {0.1, 0.3, 0.25, 0.15, 0.1, 0.1};
  d.incidents.clear();
  return o;
}

template <class Weights> std::vector<double> mean_one(const Weights &w) {
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<double> out;
  for (double x : w)
    out.push_back(x * static_cast<double>(w.size()) / sum);
  return out;
}

/// Four standard errors of a share p estimated from n cases (plus the 1e-4 rounding).
double share_tolerance(double p, double n) {
  return 4 * std::sqrt(p * (1 - p) / n) + 1e-4;
}

} // namespace

TEST_CASE("fit: a year of synthesised demand is fitted back to its parameters", "[fit]") {
  const models::OrganisationConfig truth = known(364);
  VectorReplay cases(synthesised(truth, 7, 0));
  analysis::FitReport report;
  const std::string text = fit_demand(cases, truth, "default", "fitted", report);
  const double n = static_cast<double>(report.cases);
  // 10 000 a month growing 2 %: about 134 000 cases.
  CHECK(n > 120000);
  CHECK(n < 150000);
  CHECK(report.full_months == 11);
  CHECK(report.without_region == 0);

  testing::TempDir dir;
  const scenarios::Scenario fitted = scenarios::load_scenario_file(dir.write("fit.json", text));
  CHECK(fitted.name == "fitted");
  const models::OrganisationConfig &o = fitted.organisation;
  const models::DemandConfig &d = o.demand;
  const models::DemandConfig &want = truth.demand;
  // The base's other keys stay.
  CHECK(o.horizon == scenarios::default_scenario().organisation.horizon);
  CHECK(d.holiday_factor == want.holiday_factor);

  // Volume and growth. Monthly counts vary by about 2.5 % (day multipliers of cv 0.2 over some
  // 90 region-days a month, plus Poisson), so the slope through 11 months has a standard error
  // of about 0.025 / sqrt(110) = 0.0024, and the first month's level, 5 months from the middle,
  // about 1.5 %. Over seeds 1 to 10 the fit gave growth 0.0194 ± 0.0032 and volume 10 040 ± 200
  // (2 %): 4 standard errors are 0.013 and 8 %. The level in the middle of the year is known
  // better (about 1 %): 4 %.
  CHECK(d.growth_per_month == Approx(want.growth_per_month).margin(0.013));
  CHECK(d.cases_per_month == Approx(want.cases_per_month).epsilon(0.08));
  CHECK(d.cases_per_month * std::pow(1 + d.growth_per_month, 5.5) ==
        Approx(want.cases_per_month * std::pow(1 + want.growth_per_month, 5.5)).epsilon(0.04));

  // Hourly weights (mean 1): the cases of hour h are about Poisson of n·w/24, so a weight's
  // standard error is sqrt(24·w/n): 4 of them.
  const std::vector<double> hourly = mean_one(want.hourly_profile);
  for (std::size_t h = 0; h < 24; ++h) {
    INFO("hour " << h);
    CHECK(d.hourly_profile[h] == Approx(hourly[h]).margin(4 * std::sqrt(24 * hourly[h] / n)));
  }

  // Weekly weights (mean 1): each is a mean over some 50 whole days per region, each day's
  // level off by cv 0.2 and Poisson, pooled over three regions: about 2.5 % relative standard
  // error (over seeds 1 to 10, Monday's spread 2 %, Sunday's 3 %); 4 of them, 10 %.
  const std::vector<double> weekly = mean_one(want.weekly_profile);
  for (std::size_t w = 0; w < 7; ++w) {
    INFO("weekday " << w);
    CHECK(d.weekly_profile[w] == Approx(weekly[w]).epsilon(0.10));
  }

  // daily_cv: some 1 090 region-days; each day's ((N - m)² - m)/m² has a standard deviation of
  // about sqrt(2)·(cv² + 1/m) ≈ 0.07 around cv² = 0.04, so cv² is known to about 0.003 and cv
  // to about 0.008 (over seeds 1 to 10: 0.200 ± 0.009): 0.035.
  CHECK(d.daily_cv == Approx(want.daily_cv).margin(0.035));

  // Mixes: multinomial shares, 4 standard errors each.
  for (std::size_t p = 0; p < models::priority_count; ++p)
    CHECK(d.priority_mix[p] ==
          Approx(want.priority_mix[p]).margin(share_tolerance(want.priority_mix[p], n)));
  for (std::size_t c = 0; c < models::channel_count; ++c)
    CHECK(d.channel_mix[c] ==
          Approx(want.channel_mix[c]).margin(share_tolerance(want.channel_mix[c], n)));
  for (std::size_t s = 0; s < models::segment_count; ++s)
    CHECK(d.segment_mix[s] ==
          Approx(want.segment_mix[s]).margin(share_tolerance(want.segment_mix[s], n)));
  REQUIRE(o.products == truth.products);
  for (std::size_t p = 0; p < o.products.size(); ++p)
    CHECK(d.product_mix[p] ==
          Approx(want.product_mix[p]).margin(share_tolerance(want.product_mix[p], n)));

  // Region shares: each region's total varies by its day multipliers, 0.2 / sqrt(364) ≈ 1 %,
  // so a share of 0.5 by about 0.004: 0.02.
  REQUIRE(o.regions.size() == truth.regions.size());
  REQUIRE(o.languages == truth.languages);
  for (std::size_t r = 0; r < o.regions.size(); ++r) {
    INFO("region " << o.regions[r].name);
    CHECK(o.regions[r].demand_share == Approx(truth.regions[r].demand_share).margin(0.02));
    const double cases_here = static_cast<double>(report.region_cases[r]);
    CHECK(cases_here > 0.15 * n);
    for (std::size_t l = 0; l < o.languages.size(); ++l) {
      const double p = truth.regions[r].language_mix[l];
      INFO("language " << o.languages[l]);
      CHECK(o.regions[r].language_mix[l] == Approx(p).margin(share_tolerance(p, cases_here)));
    }
  }

  // The shares written sum to 1 exactly, after rounding.
  const auto doc = nlohmann::json::parse(text);
  double sum = 0;
  for (const auto &[key, value] : doc["demand"]["priority_mix"].items())
    sum += value.get<double>();
  CHECK(sum == Approx(1.0).margin(1e-12));
  CHECK(doc["demand"]["hourly_profile"].size() == 24);
  CHECK(doc["demand"]["weekly_profile"].size() == 7);
  CHECK(doc["extends"] == "default");
}

TEST_CASE("fit: attributes an export lacks leave their mixes out", "[fit]") {
  const models::OrganisationConfig truth = known(40);
  std::vector<models::ReplayedCase> rows = synthesised(truth, 7, 0);
  for (models::ReplayedCase &row : rows) {
    row.language.reset();
    row.priority.reset();
    row.segment.reset();
  }
  VectorReplay cases(rows);
  analysis::FitReport report;
  const std::string text = fit_demand(cases, truth, "default", "no-languages", report);
  const auto doc = nlohmann::json::parse(text);
  REQUIRE(doc.contains("regions"));
  for (const auto &region : doc["regions"]) {
    CHECK(region.contains("demand_share"));
    CHECK_FALSE(region.contains("languages"));
  }
  CHECK_FALSE(doc["demand"].contains("priority_mix"));
  CHECK_FALSE(doc["demand"].contains("segment_mix"));
  CHECK(doc["demand"].contains("channel_mix"));
  CHECK(doc["demand"].contains("product_mix"));
  // Less than two whole months: no growth, the volume per month of the span.
  CHECK(report.full_months == 1);
  CHECK(doc["demand"]["growth_per_month"] == 0.0);
  CHECK(doc["demand"]["cases_per_month"].get<double>() ==
        Approx(truth.demand.cases_per_month * 1.01).epsilon(0.06));

  // It loads, and the base's languages and mixes stay.
  testing::TempDir dir;
  const scenarios::Scenario fitted = scenarios::load_scenario_file(dir.write("fit.json", text));
  const scenarios::Scenario base = scenarios::default_scenario();
  for (std::size_t r = 0; r < base.organisation.regions.size(); ++r)
    CHECK(fitted.organisation.regions[r].language_mix == base.organisation.regions[r].language_mix);
  CHECK(fitted.organisation.demand.priority_mix == base.organisation.demand.priority_mix);
  CHECK(fitted.organisation.demand.segment_mix == base.organisation.demand.segment_mix);
}

TEST_CASE("fit: an export without regions keeps the base's shares, a path base loads", "[fit]") {
  const models::OrganisationConfig truth = known(21);
  std::vector<models::ReplayedCase> rows = synthesised(truth, 7, 0);
  for (models::ReplayedCase &row : rows)
    row.region.reset();
  VectorReplay cases(rows);
  analysis::FitReport report;
  testing::TempDir dir;
  const std::string base_path =
      dir.write("bases/base.json", R"({"extends": "default", "name": "base"})");
  const std::string text = fit_demand(cases, truth, "bases/base.json", "pooled", report);
  CHECK(report.without_region == report.cases);
  const auto doc = nlohmann::json::parse(text);
  for (const auto &region : doc["regions"]) {
    CHECK_FALSE(region.contains("demand_share"));
    CHECK(region.contains("languages")); // pooled over the whole export
  }
  const scenarios::Scenario fitted = scenarios::load_scenario_file(dir.write("fit.json", text));
  CHECK(fitted.name == "pooled");
  CHECK(fitted.organisation.regions[0].demand_share ==
        scenarios::default_scenario().organisation.regions[0].demand_share);
}

TEST_CASE("fit: no cases, or cases out of order, are errors", "[fit]") {
  const models::OrganisationConfig o = known(7);
  analysis::FitReport report;
  VectorReplay none({});
  CHECK_THROWS_AS(fit_demand(none, o, "default", "x", report), std::invalid_argument);
  models::ReplayedCase a, b;
  a.created = sim::parse_utc("2027-01-05T10:00:00Z");
  b.created = sim::parse_utc("2027-01-05T09:00:00Z");
  VectorReplay backwards({a, b});
  CHECK_THROWS_AS(fit_demand(backwards, o, "default", "x", report), std::invalid_argument);
}
