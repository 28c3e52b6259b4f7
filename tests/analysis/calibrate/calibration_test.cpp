// Calibration of a history generated here with known parameters: per channel the handle time
// and patience come back, a priority effect splits the estimate and the absence of one does not,
// small cells refuse to split; the calibrated scenario loads over its base (also over a base
// whose distribution has other parameters) and carries the estimates.
#include "analysis/calibrate/calibration.hpp"
#include "scenarios/document.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using namespace supportsim;
using analysis::CalibrationCase;
using analysis::Family;
using analysis::Split;
using models::Channel;
using models::Priority;

/// A month of cases with known parameters:
/// - phone: handle lognormal(8, 0.9), twice as long for P1 (a real priority effect); 20 % of it
///   is wrap, given apart; patience exponential(3), agents answer after exponential(9/7);
/// - chat: handle gamma(15, 0.5); patience Weibull(0.7, 4), agents answer after exponential(1.2);
/// - email: handle Weibull(1.6, 20), only 50 P1 cases; no waits.
/// Answered cases take 1, 2 or 3 touches (50/30/20 %), are escalated with probability 0.1 and
/// reopened with probability 0.05.
std::vector<CalibrationCase> history() {
  sim::SmallStream stream(20261207);
  std::vector<CalibrationCase> cases;
  const auto phone_work = sim::Distribution::lognormal(8.0, 0.9);
  const auto chat_work = sim::Distribution::gamma(15.0, 0.5);
  const auto email_work = sim::Distribution::weibull(1.6, 20.0);
  const auto phone_patience = sim::Distribution::exponential(3.0);
  const auto chat_patience = sim::Distribution::weibull(0.7, 4.0);
  const auto phone_answer = sim::Distribution::exponential(9.0 / 7.0);
  const auto chat_answer = sim::Distribution::exponential(1.2);
  auto add = [&](Channel channel, Priority priority) {
    CalibrationCase c{.channel = channel, .priority = priority};
    c.local_hour = static_cast<std::uint8_t>(stream.uniform01() * 24);
    if (channel == Channel::email) {
      c.answered = true;
    } else {
      const double patience =
          (channel == Channel::phone ? phone_patience : chat_patience).sample(stream);
      const double answer = (channel == Channel::phone ? phone_answer : chat_answer).sample(stream);
      c.wait_minutes = std::min(patience, answer);
      c.abandoned = patience < answer;
      c.answered = !c.abandoned;
    }
    if (c.answered) {
      if (channel == Channel::phone) {
        const double work = phone_work.sample(stream) * (priority == Priority::p1 ? 2.0 : 1.0);
        c.handle_minutes = 0.8 * work;
        c.wrap_minutes = 0.2 * work;
      } else {
        c.handle_minutes = (channel == Channel::chat ? chat_work : email_work).sample(stream);
      }
      const double u = stream.uniform01();
      c.touches = static_cast<std::uint16_t>(u < 0.5 ? 1 : u < 0.8 ? 2 : 3);
      c.escalated = stream.uniform01() < 0.1;
      c.reopened = stream.uniform01() < 0.05;
    }
    cases.push_back(c);
  };
  const Priority mix[10] = {Priority::p1, Priority::p2, Priority::p2, Priority::p3, Priority::p3,
                            Priority::p3, Priority::p3, Priority::p4, Priority::p4, Priority::p4};
  for (int i = 0; i < 20'000; ++i)
    add(Channel::phone, mix[i % 10]);
  for (int i = 0; i < 10'000; ++i)
    add(Channel::chat, mix[i % 10]);
  for (int i = 0; i < 3'000; ++i)
    add(Channel::email, i < 50 ? Priority::p1 : mix[1 + i % 9]);
  // A row that contradicts itself: left out of patience, named.
  cases.push_back(
      {.channel = Channel::chat, .wait_minutes = 2.0, .abandoned = true, .answered = true});
  return cases;
}

bool contains(const std::vector<std::string> &lines, const std::string &part) {
  for (const std::string &line : lines)
    if (line.find(part) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("calibrate: a generated history's parameters come back per channel",
          "[calibrate][calibration]") {
  const auto c = analysis::calibrate(history());
  REQUIRE(c.cases == 33'001);
  const auto &phone = c.channels[0];
  const auto &chat = c.channels[1];
  const auto &email = c.channels[2];

  SECTION("handle time: a priority effect splits phone, nothing splits chat or email") {
    // Phone work is handle + wrap: the P1 cells twice as long.
    REQUIRE(phone.handle_split.by == Split::priority);
    REQUIRE(phone.handle_cells.size() == 4);
    CHECK(phone.handle_cells[0].label == "P1");
    CHECK(phone.handle_cells[0].fit.mean == Approx(16.0).epsilon(0.08));
    CHECK(phone.handle_cells[0].fit.chosen == Family::lognormal);
    CHECK(phone.handle_cells[2].fit.mean == Approx(8.0).epsilon(0.05));
    CHECK(phone.handle_cells[2].fit.chosen == Family::lognormal);
    CHECK(phone.handle_cells[2].fit.distribution->cv() == Approx(0.9).epsilon(0.06));
    CHECK(phone.handle.mean == Approx(0.9 * 8.0 + 0.1 * 16.0).epsilon(0.03));

    CHECK(chat.handle_split.by == Split::none);
    CHECK(chat.handle.chosen == Family::gamma);
    CHECK(chat.handle.distribution->mean() == Approx(15.0).epsilon(0.03));
    CHECK(chat.handle.distribution->cv() == Approx(0.5).epsilon(0.03));

    CHECK(email.handle_split.by == Split::none);
    CHECK(contains(email.handle_split.reasons, "not split by priority: P1 has 50 < 200"));
    CHECK(email.handle.chosen == Family::weibull);
    CHECK(email.handle.n == 3000);
  }
  SECTION("patience: censored estimates per synchronous channel; email has none") {
    REQUIRE(phone.patience);
    CHECK(phone.patience->exponential_mean == Approx(3.0).epsilon(0.05));
    CHECK(phone.patience_split.by == Split::none);
    REQUIRE(chat.patience);
    CHECK(chat.patience->n == 10'000); // the contradictory row left out
    CHECK(chat.patience->chosen == Family::weibull);
    // 10,000 queued, 3,000 abandoned: over 30 such samples the fitted shape's sd was 1.6 % and
    // the mean's 3.9 % (it extrapolates the tail beyond the waits seen); three sds.
    CHECK(chat.patience->distribution->spec().parameters[0].second == Approx(0.7).epsilon(0.05));
    CHECK(chat.patience->distribution->mean() ==
          Approx(sim::Distribution::weibull(0.7, 4.0).mean()).epsilon(0.12));
    CHECK_FALSE(email.patience);
    CHECK(contains(c.warnings, "chat: patience: 1 cases both answered and abandoned: left out"));
  }
  SECTION("touches, escalation and reopen rates") {
    const std::size_t answered = phone.handle.n + chat.handle.n + email.handle.n;
    CHECK(c.touches.n == answered);
    CHECK(c.touches.counts.size() == 3);
    CHECK(c.touches.mean == Approx(1.7).epsilon(0.02));
    CHECK(c.escalation.n == answered);
    CHECK(std::abs(c.escalation.share - 0.1) < 4 * c.escalation.se);
    CHECK(std::abs(c.reopen.share - 0.05) < 4 * c.reopen.se);
    CHECK(c.reopen.se ==
          Approx(std::sqrt(0.05 * 0.95 / static_cast<double>(answered))).epsilon(0.05));
  }
  SECTION("the report: JSON with every estimate, and a table") {
    const auto j = nlohmann::json::parse(analysis::calibration_json(c));
    CHECK(j["cases"] == 33'001);
    CHECK(j["channels"]["phone"]["handle_minutes"]["split"]["by"] == "priority");
    CHECK(j["channels"]["phone"]["handle_minutes"]["cells"]["P1"]["n"].get<int>() > 1000);
    CHECK(j["channels"]["phone"]["handle_minutes"]["families"].size() == 4);
    CHECK(j["channels"]["chat"]["patience_minutes"]["chosen"] == "weibull");
    CHECK(j["channels"]["phone"]["patience_minutes"]["naive_mean_minutes"].get<double>() ==
          Approx(0.9).epsilon(0.06));
    CHECK_FALSE(j["channels"]["email"].contains("patience_minutes"));
    const std::string table = analysis::calibration_table(c);
    CHECK(table.find("naive mean 0.9 min (biased, not used)") != std::string::npos);
    CHECK(table.find("gamma(mean 1") != std::string::npos);
  }
}

TEST_CASE("calibrate: the calibrated scenario loads over its base with the estimates",
          "[calibrate][calibration]") {
  const auto c = analysis::calibrate(history());
  SECTION("over the embedded default, whose touches are empirical values") {
    const std::string text = analysis::calibrated_scenario(c, "default", "calibrated",
                                                           scenarios::load_scenario_document(""));
    const auto j = nlohmann::json::parse(text);
    CHECK(j["extends"] == "default");
    CHECK(j["lifecycle"]["touches"]["type"] == "mixture");
    CHECK(j["lifecycle"]["touches"]["values"].is_null()); // removes the base's
    testing::TempDir dir;
    const auto scenario = scenarios::load_scenario_file(dir.write("calibrated.json", text));
    const models::LifecycleConfig &l = scenario.organisation.lifecycle;
    CHECK(l.work_minutes[1].describe() == c.channels[1].handle.distribution->describe());
    CHECK(l.work_minutes[2].spec().type == "weibull");
    CHECK(l.patience_minutes[0]->mean() == Approx(c.channels[0].patience->distribution->mean()));
    CHECK(l.patience_minutes[1]->spec().type == "weibull");
    CHECK(l.touches.mean() == Approx(c.touches.mean));
    CHECK(l.reopen_probability == Approx(c.reopen.share));
    // The base's priority factors (P1 1.5) would multiply observed times that already hold
    // them: back to 1. What the calibration does not estimate stays the base's.
    CHECK(l.priority_work_factor[0] == 1.0);
    CHECK(l.product_work_factor == std::vector<double>(l.product_work_factor.size(), 1.0));
    CHECK(l.customer_wait_hours.mean() == 18.0);
  }
  SECTION("over a base whose distribution has other parameters") {
    nlohmann::json base = scenarios::load_scenario_document("");
    base["lifecycle"]["work_minutes"]["chat"] = {
        {"type", "weibull"}, {"shape", 1.2}, {"scale", 20.0}};
    nlohmann::json overlay =
        nlohmann::json::parse(analysis::calibrated_scenario(c, "default", "calibrated", base));
    CHECK(overlay["lifecycle"]["work_minutes"]["chat"]["shape"].is_null());
    overlay.erase("extends");
    scenarios::merge_scenario_documents(base, overlay);
    const auto scenario = scenarios::parse_scenario_document(base, "merged");
    CHECK(scenario.organisation.lifecycle.work_minutes[1].spec().type == "gamma");
  }
  SECTION("an empirical fit is written as the values") {
    analysis::CalibrationOptions options;
    options.handle.empirical = true;
    options.handle.empirical_max_values = 500;
    const auto e = analysis::calibrate(history(), options);
    const auto j = nlohmann::json::parse(analysis::calibrated_scenario(
        e, "default", "calibrated", scenarios::load_scenario_document("")));
    CHECK(j["lifecycle"]["work_minutes"]["email"]["type"] == "empirical");
    CHECK(j["lifecycle"]["work_minutes"]["email"]["values"].size() == 500);
    CHECK(j["lifecycle"]["work_minutes"]["email"]["mean"].is_null());
  }
}
