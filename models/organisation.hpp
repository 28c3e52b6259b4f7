#pragma once

#include "models/priority.hpp"
#include "models/staffing.hpp"
#include "sim/clock.hpp"
#include "sim/distribution.hpp"
#include "sim/time.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportsim::models {

// The organisation to simulate, as plain values: what scenarios/ builds from a scenario file
// and the model reads. Names are resolved to indices here (a site's region, a group's shifts),
// so the model never looks a string up. Units are in the names; times of day are local to the
// zone of whatever holds them (a site's shifts in the site's zone, a region's business hours in
// the region's zone).

// --- Case attributes -------------------------------------------------------------------------

/// How the customer reached support. Phone and chat are synchronous (the customer waits on the
/// line and may hang up); email covers email and the web form.
enum class Channel : std::uint8_t { phone = 0, chat = 1, email = 2 };
inline constexpr std::size_t channel_count = 3;
inline constexpr std::array<std::string_view, channel_count> channel_names{"phone", "chat",
                                                                           "email"};
constexpr std::size_t index_of(Channel c) {
  return static_cast<std::size_t>(c);
}
constexpr bool is_synchronous(Channel c) {
  return c != Channel::email;
}
template <class T> using PerChannel = std::array<T, channel_count>;

/// The customer's plan. Premium customers have a named TAM (technical account manager).
enum class Segment : std::uint8_t { free = 0, pro = 1, business = 2, enterprise = 3, premium = 4 };
inline constexpr std::size_t segment_count = 5;
inline constexpr std::array<std::string_view, segment_count> segment_names{
    "free", "pro", "business", "enterprise", "premium"};
constexpr std::size_t index_of(Segment s) {
  return static_cast<std::size_t>(s);
}
template <class T> using PerSegment = std::array<T, segment_count>;

/// The work types of the global prioritisation framework, each a family of queues.
/// front_door: new P1/P2 cases awaiting a first response. escalations: cases moved up a tier.
/// live: new P3/P4 cases on a synchronous channel (chat and phone). backlog: new P3/P4 email
/// cases and every follow-up touch of an open case.
enum class WorkType : std::uint8_t { front_door = 0, escalations = 1, live = 2, backlog = 3 };
inline constexpr std::size_t work_type_count = 4;
inline constexpr std::array<std::string_view, work_type_count> work_type_names{
    "front_door", "escalations", "live", "backlog"};
constexpr std::size_t index_of(WorkType w) {
  return static_cast<std::size_t>(w);
}
template <class T> using PerWorkType = std::array<T, work_type_count>;

using Date = std::chrono::year_month_day;
/// A scenario's "month": a twelfth of a Julian year, 30.4375 days (volumes, growth, tenure).
inline constexpr double days_per_month = 365.25 / 12;
/// Days of the week an arrangement applies to; [0] is Monday, [6] Sunday (ISO 8601 order).
using Weekdays = std::array<bool, 7>;
inline constexpr std::array<std::string_view, 7> weekday_names{"Mon", "Tue", "Wed", "Thu",
                                                               "Fri", "Sat", "Sun"};

/// A local wall-clock time of day, in minutes after midnight: 0 (00:00) to 1440 (24:00).
struct TimeOfDay {
  int minute = 0;
  constexpr auto operator<=>(const TimeOfDay &) const = default;
};

// --- Where: regions and sites ------------------------------------------------------------------

/// A customer region (AMER, EMEA, APJC): where demand comes from. Its zone is the customers'
/// representative local time, in which the demand profiles and business hours are read.
struct RegionConfig {
  std::string name;
  std::string time_zone;            ///< IANA name, e.g. "America/Chicago"
  double demand_share = 1.0;        ///< share of all cases; the regions' shares sum to 1
  std::vector<double> language_mix; ///< per language (OrganisationConfig::languages); sums to 1
  std::vector<Date> holidays;       ///< customers' public holidays: demand × holiday_factor
  std::optional<std::array<double, 24>> hourly_profile; ///< overrides the demand's, if set
};

/// An office (or a remote hub) whose agents work shifts in its local time.
struct SiteConfig {
  std::string name;
  std::size_t region = 0;     ///< the region the site belongs to (for reports and follow-the-sun)
  std::string time_zone;      ///< IANA name, e.g. "Europe/Lisbon"
  std::vector<Date> holidays; ///< nobody at the site works a shift starting on these dates
  double cost_per_agent_hour = 0; ///< fully loaded, in the scenario's currency, per paid hour
};

// --- When: shift patterns ----------------------------------------------------------------------

/// Time off the queue inside a shift, at a local time of day (lunch, a team meeting).
struct BreakConfig {
  TimeOfDay start;
  int minutes = 0;
  bool paid = true; ///< paid breaks count in paid hours (and cost); unpaid ones do not
};

/// A working pattern in the site's local time, daylight-saving time applied: a shift starts on
/// each of `days` at `start` and runs to `end`, on the next day when end <= start (overnight).
struct ShiftConfig {
  std::string name;
  Weekdays days{true, true, true, true, true, false, false};
  TimeOfDay start{9 * 60};
  TimeOfDay end{17 * 60};
  std::vector<BreakConfig> breaks;
  /// Each agent works this pattern one week in `rotation_weeks` (a weekend or on-call rota):
  /// agents are split into that many cohorts by their number in the group.
  std::uint32_t rotation_weeks = 1;
  /// On call: the agent takes only front-door (P1/P2) work during this shift.
  bool on_call = false;
};

/// Paid time that is not available for cases, as fractions of paid hours.
struct ShrinkageConfig {
  /// Shifts missed entirely (PTO, sickness): each agent-shift is absent with this probability.
  double absence = 0.0;
  /// Time on shift spent off the queue (meetings, training, coaching), taken as one block at a
  /// random point of each shift worked.
  double off_queue = 0.0;
};

// --- Who: tiers and agent groups ---------------------------------------------------------------

/// What a tier does with cases.
enum class TierRole : std::uint8_t {
  front_line, ///< takes new cases (and their follow-ups)
  escalation, ///< takes cases escalated to it
  tam, ///< takes premium accounts' new cases (their named TAM first) and cases escalated to it
};
inline constexpr std::array<std::string_view, 3> tier_role_names{"front_line", "escalation", "tam"};

/// A support tier (L1, L2, TAM: names are free) and where its escalations go.
struct TierConfig {
  std::string name;
  TierRole role = TierRole::front_line;
  /// The tier a case moves to when an agent of this tier escalates it; none with
  /// `to_engineering` means engineering (a delay, then back to this tier), none without it
  /// means this tier never escalates.
  std::optional<std::size_t> escalates_to;
  bool to_engineering = false;
  /// Chance that a touch by a fully experienced agent ends in escalation, before the experience
  /// curve's multiplier.
  double escalation_probability = 0.0;
};

/// A hire joining a group: on `date` (site-local midnight), first in training.
struct HiringConfig {
  Date date;
  std::uint32_t hires = 0;
};

/// Agents who share a site, a tier, shifts and skills. Each agent is simulated individually
/// (tenure, proficiency, what they are working on).
struct AgentGroupConfig {
  std::string name;
  std::size_t site = 0;
  std::size_t tier = 0;
  std::uint32_t headcount = 0;             ///< agents at the start of the run
  std::vector<std::size_t> shifts;         ///< patterns each agent works (all of them, by rotation)
  std::vector<double> product_proficiency; ///< per product, 0..1; 0 = cannot work it
  std::vector<double> language_proficiency; ///< per language, 0..1; 0 = does not speak it
  sim::Distribution tenure_months = sim::Distribution::constant(24.0); ///< at the start
  std::uint32_t chat_concurrency = 1;                                  ///< chats held at once
  double cost_per_agent_hour = 0;    ///< the site's unless the group sets its own
  std::vector<std::string> accounts; ///< premium accounts this group is the named TAM of
  double attrition_per_year = 0.0;   ///< share of agents who leave in a year
  std::vector<HiringConfig> hiring_plan;
  ShrinkageConfig shrinkage;
};

/// How a multiplier falls with tenure. Either exponential, 1 + (at_hire - 1)·exp(-months/τ), or,
/// when `table` is set, linear between (months, multiplier) points and flat beyond them.
struct LearningCurve {
  double at_hire = 1.0;
  double time_constant_months = 6.0;
  std::vector<std::pair<double, double>> table;
  double at(double tenure_months) const;
};

/// How experience changes the work: new hires train (unavailable), then their handling time
/// and escalation chance fall along learning curves.
struct ExperienceConfig {
  double training_weeks = 0.0;
  LearningCurve handle_time;
  LearningCurve escalation;
};

// --- Demand ------------------------------------------------------------------------------------

/// A major incident: for its duration, arrivals of the named priorities (P1/P2 by default) for
/// the affected products and regions are multiplied.
struct IncidentConfig {
  std::string name;
  sim::UtcTime start;
  sim::Duration duration;
  double multiplier = 1.0;
  PerPriority<bool> priorities{true, true, false, false};
  std::vector<bool> products; ///< per product; all true when the scenario names none
  std::vector<bool> regions;  ///< per region; all true when the scenario names none
};

/// Cases arriving: volume, growth, seasonality in the customers' local time, and the mixes of
/// their attributes (drawn independently of one another).
struct DemandConfig {
  double cases_per_month = 0.0;  ///< all regions, in the first month (a month is 30.4375 days)
  double growth_per_month = 0.0; ///< compound: month m has cases_per_month·(1 + g)^m
  std::array<double, 24> hourly_profile; ///< relative weights of local hours 00-01 .. 23-24
  std::array<double, 7> weekly_profile;  ///< relative weights of Monday .. Sunday
  double daily_cv = 0.0;       ///< cv of a gamma(mean 1) multiplier per region and local day
  double holiday_factor = 0.3; ///< demand on a customer region's public holiday
  PerPriority<double> priority_mix{0.0, 0.0, 0.0, 1.0};
  PerChannel<double> channel_mix{0.0, 0.0, 1.0};
  PerSegment<double> segment_mix{0.0, 0.0, 1.0, 0.0, 0.0};
  std::vector<double> product_mix; ///< per product
  std::vector<IncidentConfig> incidents;
  DemandConfig() {
    hourly_profile.fill(1.0);
    weekly_profile.fill(1.0);
  }
};

// --- Case lifecycle ----------------------------------------------------------------------------

/// What happens to a case between arrival and resolution: touches of work separated by waits.
struct LifecycleConfig {
  /// Agent touches needed to resolve a case (rounded up, at least 1), drawn at arrival.
  sim::Distribution touches = sim::Distribution::constant(1.0);
  /// Minutes of work per touch by a fully proficient, experienced agent, per channel.
  PerChannel<sim::Distribution> work_minutes{sim::Distribution::exponential(30.0),
                                             sim::Distribution::exponential(30.0),
                                             sim::Distribution::exponential(30.0)};
  PerPriority<double> priority_work_factor{1.0, 1.0, 1.0, 1.0}; ///< multiplies work_minutes
  std::vector<double> product_work_factor;                      ///< per product, multiplies
  /// Hours the case waits on the customer between touches.
  sim::Distribution customer_wait_hours = sim::Distribution::exponential(24.0);
  /// Hours engineering takes before an escalated case comes back.
  sim::Distribution engineering_turnaround_hours = sim::Distribution::exponential(48.0);
  double reopen_probability = 0.0; ///< a resolved case comes back for one more touch
  sim::Distribution reopen_after_hours = sim::Distribution::exponential(72.0);
  /// Minutes a customer on a synchronous channel waits for a first response before hanging up;
  /// none: nobody hangs up. Email never abandons.
  PerChannel<std::optional<sim::Distribution>> patience_minutes;
  /// A chat started while the agent holds others takes longer by this fraction per chat already
  /// held (the chats in hand when it starts; later ones do not slow it further).
  double chat_slowdown_per_extra_chat = 0.25;
};

// --- Service levels ----------------------------------------------------------------------------

/// Business hours in a customer region's local time (its zone, its public holidays excluded):
/// the clock that stops outside them, for segments whose SLA runs on business hours.
struct BusinessHours {
  Weekdays days{true, true, true, true, true, false, false};
  TimeOfDay start{9 * 60};
  TimeOfDay end{18 * 60};
};

/// The first-response commitments: a target time per segment and priority, and the clock each
/// segment's runs on. The report measures attainment against them; escalation triggers watch
/// them (on the wall clock) during the run.
struct ServiceLevels {
  PerSegment<PerPriority<sim::Duration>> first_response = [] {
    PerSegment<PerPriority<sim::Duration>> all;
    all.fill({sim::Duration::minutes(15), sim::Duration::minutes(60), sim::Duration::hours(8),
              sim::Duration::hours(24)});
    return all;
  }();
  /// Per segment: true when its SLA clock counts business hours only, false for 24x7.
  PerSegment<bool> business_hours_clock{};
  BusinessHours business_hours;
};

// --- Routing and escalation triggers -----------------------------------------------------------

/// Which hand-off rule applies to a priority's follow-up touches when the owner is off shift.
enum class Handoff : std::uint8_t {
  follow_the_sun, ///< the owner region first; any region's qualified agent after overflow_after
  owner_region,   ///< the next touch waits for an agent of the owner's region
};

struct RoutingConfig {
  /// Base weight of each work type. A free agent ranks the work types' queues by weight +
  /// ageing_per_hour × hours waited by the queue's oldest case it may take (ties to the order
  /// front_door, escalations, live, backlog), and takes from the first the case it may take
  /// with the highest priority, then the longest wait.
  PerWorkType<double> weights{100.0, 80.0, 60.0, 10.0};
  double ageing_per_hour = 1.0;
  /// Proficiency (product and language) an agent needs to take a case...
  double proficiency_required = 0.6;
  /// ...until it has waited overflow_after; then any agent at or above the floor may.
  PerPriority<sim::Duration> overflow_after{sim::Duration::minutes(10), sim::Duration::minutes(30),
                                            sim::Duration::hours(4), sim::Duration::hours(8)};
  double proficiency_floor = 0.3;
  /// A first contact on a live channel (phone, chat) has the customer on the line: it overflows
  /// after this wait when that is sooner than its priority's overflow_after (other regions,
  /// the proficiency floor, the fallback language, the front line for premium cases).
  sim::Duration live_overflow_after = sim::Duration::minutes(3);
  /// After overflow_after, a case in another language may go to an agent who speaks this one
  /// (the customer accepts English rather than wait); none: the case's own language only.
  std::optional<std::size_t> fallback_language;
  /// Premium cases go to their named TAM first, then to any TAM, then (after overflow_after)
  /// to the escalation tier (L2), or the front line where there is no escalation tier. Off:
  /// the TAMs and the front line take them at once.
  bool tam_first = true;
  PerPriority<Handoff> handoff{Handoff::follow_the_sun, Handoff::follow_the_sun,
                               Handoff::owner_region, Handoff::owner_region};
};

/// What a trigger watches, per region (or all regions).
enum class TriggerCondition : std::uint8_t {
  front_door_wait_above, ///< the oldest waiting front-door case has waited more than X minutes
  backlog_above,         ///< more than X cases waiting in the backlog
  sla_last_hour_below,   ///< of the last hour's first responses and hang-ups, the share answered
                         ///< within target (on the wall clock) is below X
};
inline constexpr std::array<std::string_view, 3> trigger_condition_names{
    "front_door_wait_above", "backlog_above", "sla_last_hour_below"};

enum class TriggerAction : std::uint8_t {
  pull_from_backlog, ///< N agents of the region take only front-door work for `duration`
  overtime,          ///< N agents of the region stay `duration` past their shift, paid at a premium
  borrow,            ///< N agents of `from_region` on shift take this region's cases
};
inline constexpr std::array<std::string_view, 3> trigger_action_names{"pull_from_backlog",
                                                                      "overtime", "borrow"};

/// An escalation trigger: checked every `check_every`; when the condition holds and the last
/// firing was at least `cooldown` ago, the action applies for `duration`.
struct TriggerConfig {
  std::string name;
  std::optional<std::size_t> region; ///< none: any region (checked per region)
  TriggerCondition condition = TriggerCondition::front_door_wait_above;
  double threshold = 0.0;
  TriggerAction action = TriggerAction::pull_from_backlog;
  std::uint32_t agents = 1;
  sim::Duration duration = sim::Duration::hours(2);
  sim::Duration cooldown = sim::Duration::hours(4);
  sim::Duration check_every = sim::Duration::minutes(15);
  std::optional<std::size_t> from_region; ///< borrow only
  double overtime_cost_factor = 1.5;      ///< overtime only: cost multiplier on overtime hours
};

// --- The whole organisation --------------------------------------------------------------------

/// OrganisationConfig::max_open_cases unless the user says otherwise (`--max-open-cases`).
inline constexpr std::uint32_t default_max_open_cases = 1'000'000;

/// Everything the model needs to run. Every index refers into the vectors of this value.
struct OrganisationConfig {
  sim::UtcTime start = sim::parse_utc("2027-01-04"); ///< the UTC instant simulated time 0 is
  sim::Duration horizon = sim::Duration::days(28);   ///< simulated span, warm-up included

  std::vector<std::string> products;  ///< product areas, e.g. DNS, CDN, WAF
  std::vector<std::string> languages; ///< e.g. en, de, ja
  std::vector<RegionConfig> regions;
  std::vector<SiteConfig> sites;
  std::vector<ShiftConfig> shifts;
  std::vector<TierConfig> tiers;
  std::vector<AgentGroupConfig> agent_groups;
  ExperienceConfig experience;
  DemandConfig demand;
  LifecycleConfig lifecycle;
  ServiceLevels service_levels;
  RoutingConfig routing;
  std::vector<TriggerConfig> triggers;

  /// What was really on the floor (a backtest's --staffing): when not empty, the agent groups
  /// are staffed from it instead of their headcount, shifts, hiring and attrition.
  StaffingPlan staffing;
  /// Replayed cases that give handle_minutes are served for exactly that long, whoever takes
  /// them (a backtest's --service actual); otherwise work content is drawn as usual.
  bool actual_service = false;
  /// The most cases a run may hold open at once. Memory follows the open cases (about 250
  /// bytes each); a scenario whose offered work is far beyond what its agents can serve would
  /// fill memory before its horizon, so the run stops with OpenCaseLimit instead.
  std::uint32_t max_open_cases = default_max_open_cases;
};

} // namespace supportsim::models
