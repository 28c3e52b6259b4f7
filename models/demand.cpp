#include "models/demand.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <queue>

namespace supportsim::models {

namespace {

using std::chrono::days;

std::vector<double> normalised(const auto &weights) {
  std::vector<double> w(weights.begin(), weights.end());
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  for (double &x : w)
    x = sum > 0 ? x / sum : 0.0;
  return w;
}

} // namespace

template <class It> Demand::Pick::Pick(It first, It last) {
  double sum = 0;
  for (It it = first; it != last; ++it) {
    sum += *it;
    cumulative_.push_back(sum);
  }
  for (double &c : cumulative_)
    c = sum > 0 ? c / sum : 1.0;
}

std::uint8_t Demand::Pick::operator()(sim::SmallStream &stream) const {
  const double u = stream.uniform01();
  std::size_t k = 0;
  // The first category whose cumulative weight exceeds u; a zero-weight category has the same
  // cumulative weight as the one before it, so it is never chosen.
  while (k + 1 < cumulative_.size() && u >= cumulative_[k])
    ++k;
  return static_cast<std::uint8_t>(k);
}

namespace {

/// A pick over `weights` with entries outside `keep` zeroed; its kept mass comes back too.
Demand::Pick restricted(const std::vector<double> &weights, const std::vector<bool> &keep,
                        double &mass) {
  std::vector<double> w = weights;
  mass = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!keep[i]) w[i] = 0;
    mass += w[i];
  }
  if (mass <= 0) w.assign(w.size(), 1.0); // never drawn from: the source has rate 0
  return {w.begin(), w.end()};
}

} // namespace

Demand::Demand(const OrganisationConfig &config, const sim::Clock &clock,
               const sim::RandomStreams &streams, sim::SimTime end) {
  const DemandConfig &d = config.demand;
  channel_ = Pick(d.channel_mix.begin(), d.channel_mix.end());
  segment_ = Pick(d.segment_mix.begin(), d.segment_mix.end());
  std::vector<double> shares;
  for (const RegionConfig &r : config.regions)
    shares.push_back(r.demand_share);
  region_ = Pick(shares.begin(), shares.end());
  for (const AgentGroupConfig &g : config.agent_groups)
    accounts_ += static_cast<std::uint32_t>(g.accounts.size());

  const std::vector<double> priority_mix = normalised(d.priority_mix);
  const std::vector<double> product_mix =
      d.product_mix.empty() ? std::vector<double>{1.0} : normalised(d.product_mix);
  const auto hours = static_cast<std::size_t>(
      (end - sim::SimTime::zero() + sim::Duration::hours(1) - sim::Duration::from_ticks(1))
          .ticks() /
      sim::Duration::hours(1).ticks());

  // Baseline: one source per region.
  std::vector<std::vector<RateStep>> baseline(config.regions.size());
  for (std::size_t r = 0; r < config.regions.size(); ++r) {
    const RegionConfig &region = config.regions[r];
    baseline[r] = baseline_rates(config, clock, streams, r, hours);
    std::vector<bool> all_products(product_mix.size(), true);
    std::vector<bool> all_priorities(priority_count, true);
    double mass = 0;
    Source s{static_cast<std::uint8_t>(r),
             false,
             baseline[r],
             0,
             streams.stream("arrivals/" + region.name),
             restricted(priority_mix, all_priorities, mass),
             restricted(product_mix, all_products, mass),
             Pick(region.language_mix.begin(), region.language_mix.end())};
    sources_.push_back(std::move(s));
  }
  add_incident_sources(config, clock, streams, baseline, priority_mix, product_mix);
}

std::vector<Demand::RateStep> Demand::baseline_rates(const OrganisationConfig &config,
                                                     const sim::Clock &clock,
                                                     const sim::RandomStreams &streams,
                                                     std::size_t r, std::size_t hours) {
  // One segment per UTC hour, read at the hour's midpoint in the region's local time (exact for
  // zones whose offsets are whole hours).
  const DemandConfig &d = config.demand;
  const std::vector<double> weekly = normalised(d.weekly_profile);
  const double per_minute_month0 = d.cases_per_month / (days_per_month * 24 * 60);
  const RegionConfig &region = config.regions[r];
  const date::time_zone *zone = sim::find_zone(region.time_zone);
  const std::vector<double> hourly =
      normalised(region.hourly_profile ? *region.hourly_profile : d.hourly_profile);
  sim::RandomStream daily_stream = streams.stream("demand/" + region.name + "/daily");
  std::map<int, double> daily; // local day number -> multiplier, drawn in date order
  const sim::Distribution daily_multiplier =
      d.daily_cv > 0 ? sim::Distribution::gamma(1.0, d.daily_cv) : sim::Distribution::constant(1);
  std::vector<RateStep> steps;
  steps.reserve(hours + 1);
  for (std::size_t h = 0; h < hours; ++h) {
    const sim::SimTime start = sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(h));
    const sim::SimTime mid = start + sim::Duration::minutes(30);
    const sim::LocalTime local = clock.to_local(zone, mid);
    const auto local_day = std::chrono::floor<days>(local);
    const int day_number = static_cast<int>(local_day.time_since_epoch().count());
    const unsigned hour_of_day = sim::hour_of(local);
    const unsigned weekday = sim::weekday_of(local_day);
    const Date date{std::chrono::sys_days(local_day.time_since_epoch())};
    auto it = daily.find(day_number);
    if (it == daily.end())
      it = daily.emplace(day_number, daily_multiplier.sample(daily_stream)).first;
    const bool holiday =
        std::find(region.holidays.begin(), region.holidays.end(), date) != region.holidays.end();
    const double month = std::floor(mid.since_epoch().to_minutes() / (days_per_month * 24 * 60));
    const double forecast = per_minute_month0 * std::pow(1.0 + d.growth_per_month, month) *
                            region.demand_share * hourly[hour_of_day] * 24.0 * weekly[weekday] *
                            7.0 * (holiday ? d.holiday_factor : 1.0);
    steps.push_back(RateStep{start, forecast * it->second, forecast});
  }
  steps.push_back(
      RateStep{sim::SimTime::zero() + sim::Duration::hours(static_cast<long>(hours)), 0.0, 0.0});
  return steps;
}

void Demand::add_incident_sources(const OrganisationConfig &config, const sim::Clock &clock,
                                  const sim::RandomStreams &streams,
                                  const std::vector<std::vector<RateStep>> &baseline,
                                  const std::vector<double> &priority_mix,
                                  const std::vector<double> &product_mix) {
  const DemandConfig &d = config.demand;
  // Incidents: extra P1/P2 (by default) arrivals of the affected products and regions, at
  // (multiplier - 1) times the baseline rate of those cases, for the incident's window.
  for (const IncidentConfig &incident : d.incidents) {
    const sim::SimTime from = clock.from_utc(incident.start);
    const sim::SimTime to = sim::saturating_add(from, incident.duration);
    const std::vector<bool> priorities(incident.priorities.begin(), incident.priorities.end());
    const std::vector<bool> products =
        incident.products.empty() ? std::vector<bool>(product_mix.size(), true) : incident.products;
    double priority_mass = 0, product_mass = 0;
    Pick priority = restricted(priority_mix, priorities, priority_mass);
    Pick product = restricted(product_mix, products, product_mass);
    const double factor = (incident.multiplier - 1.0) * priority_mass * product_mass;
    if (factor <= 0) continue;
    for (std::size_t r = 0; r < config.regions.size(); ++r) {
      if (!incident.regions.empty() && !incident.regions[r]) continue;
      // The baseline's hours overlapping the window are consecutive: one segment each, then a
      // closing segment of rate 0 at the window's end.
      std::vector<RateStep> steps;
      sim::SimTime last = from;
      for (std::size_t k = 0; k + 1 < baseline[r].size(); ++k) {
        const sim::SimTime a = std::max(baseline[r][k].start, from);
        const sim::SimTime b = std::min(baseline[r][k + 1].start, to);
        if (b <= a) continue;
        steps.push_back(RateStep{a, baseline[r][k].per_minute * factor,
                                 baseline[r][k].forecast_per_minute * factor});
        last = b;
      }
      if (steps.empty()) continue;
      steps.push_back(RateStep{last, 0.0, 0.0});
      const RegionConfig &region = config.regions[r];
      sources_.push_back(Source{static_cast<std::uint8_t>(r), true, std::move(steps), 0,
                                streams.stream("incident/" + incident.name + "/" + region.name),
                                priority, product,
                                Pick(region.language_mix.begin(), region.language_mix.end())});
    }
  }
}

sim::SimTime Demand::next_arrival(std::size_t s, sim::SimTime now) {
  Source &source = sources_[s];
  // Inversion: an Exp(1) amount of cumulative rate, spent segment by segment from `now`.
  double remaining = boost::random::exponential_distribution<double>(1.0)(source.stream.engine());
  const std::vector<RateStep> &seg = source.steps;
  std::size_t k = source.at;
  while (k + 1 < seg.size() && seg[k + 1].start <= now)
    ++k;
  if (now < seg[0].start) {
    now = seg[0].start;
    k = 0;
  }
  sim::SimTime t = now;
  while (k + 1 < seg.size()) {
    const double rate = seg[k].per_minute;
    const double span = (seg[k + 1].start - t).to_minutes();
    if (rate > 0 && remaining < rate * span) {
      source.at = k;
      return t + sim::Duration::from_minutes(remaining / rate);
    }
    remaining -= rate * span;
    t = seg[++k].start;
  }
  source.at = k;
  return sim::SimTime::max();
}

Demand::NewCase Demand::draw_case(std::size_t s) {
  Source &source = sources_[s];
  NewCase c{};
  c.seed = source.stream.engine()();
  // The attributes from a stream of the case's own (the case's later draws use other streams
  // seeded from the same seed, see SupportModel).
  sim::SmallStream engine(c.seed ^ 0x6a09e667f3bcc909ull);
  c.info.region = source.region;
  c.info.incident = source.incident;
  c.info.priority = static_cast<Priority>(source.priority(engine));
  c.info.channel = static_cast<Channel>(channel_(engine));
  c.info.segment = static_cast<models::Segment>(segment_(engine));
  c.info.product = source.product(engine);
  c.info.language = source.language(engine);
  c.account = ~0u;
  if (c.info.segment == models::Segment::premium && accounts_ > 0)
    c.account = static_cast<std::uint32_t>(engine.uniform01() * accounts_) % accounts_;
  return c;
}

Demand::NewCase Demand::complete(const ReplayedCase &row, std::uint64_t seed) const {
  NewCase c{};
  c.seed = seed;
  sim::SmallStream engine(seed ^ 0x6a09e667f3bcc909ull);
  // Every attribute is drawn, given or not, in a fixed order, so a column the file has does not
  // shift the draws of those it lacks. The baseline sources come first, one per region.
  auto given = [](const auto &value, auto drawn) { return value ? *value : drawn; };
  c.info.region = given(row.region, region_(engine));
  const Source &source = sources_[c.info.region];
  c.info.priority = given(row.priority, static_cast<Priority>(source.priority(engine)));
  c.info.channel = given(row.channel, static_cast<Channel>(channel_(engine)));
  c.info.segment = given(row.segment, static_cast<models::Segment>(segment_(engine)));
  c.info.product = given(row.product, source.product(engine));
  c.info.language = given(row.language, source.language(engine));
  const std::uint32_t drawn_account =
      accounts_ > 0 ? static_cast<std::uint32_t>(engine.uniform01() * accounts_) % accounts_ : ~0u;
  c.account = ~0u;
  if (row.account)
    c.account = *row.account;
  else if (c.info.segment == models::Segment::premium)
    c.account = drawn_account;
  return c;
}

void Demand::for_each_arrival(sim::SimTime end,
                              const std::function<void(sim::SimTime, const NewCase &)> &f) {
  // The model's order: by time, ties to the source scheduled first; and per source, as in the
  // model, the case's draws then the gap to the next.
  using Next = std::pair<sim::SimTime, std::size_t>;
  std::priority_queue<Next, std::vector<Next>, std::greater<>> next;
  for (std::size_t s = 0; s < sources_.size(); ++s)
    if (const sim::SimTime t = next_arrival(s, sim::SimTime::zero()); t < end) next.emplace(t, s);
  while (!next.empty()) {
    const auto [t, s] = next.top();
    next.pop();
    const NewCase c = draw_case(s);
    if (const sim::SimTime after = next_arrival(s, t); after < end) next.emplace(after, s);
    f(t, c);
  }
}

template <class F>
void Demand::for_each_piece(std::size_t region, sim::SimTime from, sim::SimTime to, F &&f) const {
  // The baseline source of the region and its incident sources overlap; each step of each
  // source is reported on its own (the caller adds them up by whatever bins it keeps).
  for (const Source &source : sources_) {
    if (source.region != region) continue;
    const auto &seg = source.steps;
    for (std::size_t k = 0; k + 1 < seg.size(); ++k) {
      const sim::SimTime a = std::max(seg[k].start, from);
      const sim::SimTime b = std::min(seg[k + 1].start, to);
      if (b > a) f(seg[k], a, b);
    }
  }
}

void Demand::forecast(std::size_t region, sim::SimTime from, sim::SimTime to,
                      const std::function<void(sim::SimTime, sim::SimTime, double)> &f) const {
  for_each_piece(region, from, to, [&](const RateStep &step, sim::SimTime a, sim::SimTime b) {
    f(a, b, step.forecast_per_minute * (b - a).to_minutes());
  });
}

double Demand::expected_cases(std::size_t region, sim::SimTime from, sim::SimTime to) const {
  double total = 0;
  for_each_piece(region, from, to, [&](const RateStep &step, sim::SimTime a, sim::SimTime b) {
    total += step.per_minute * (b - a).to_minutes();
  });
  return total;
}

} // namespace supportsim::models
