#include "analysis/sweep/sweep.hpp"

#include "analysis/report/format.hpp"
#include "analysis/variance/variance.hpp"
#include "sim/random.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

namespace supportsim::analysis {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr int part_format = 2; // "supportsim_sweep_part": the part files' layout

/// What a sweep keeps of a replication: everything but the local intervals and days and the
/// arrivals per hour of the week, which no sweep figure uses and which would make a sweep's
/// memory and part files a hundred times larger.
void keep_for_sweep(ReplicationFigures &rep) {
  auto slim = [](RegionFigures &r) {
    // Assigned fresh vectors: "= {}" would keep the capacity, and so the memory.
    r.intervals = std::vector<IntervalFigures>();
    r.days = std::vector<IntervalFigures>();
    r.interval_starts = std::vector<sim::UtcTime>();
    r.interval_labels = std::vector<std::string>();
    r.day_starts = std::vector<sim::UtcTime>();
    r.day_labels = std::vector<std::string>();
    for (CallCentreFigures &c : r.callcentre)
      c.intervals = std::vector<QueueTally>();
    r.hour_of_week_arrivals.fill(0);
  };
  for (RegionFigures &r : rep.regions)
    slim(r);
  slim(rep.all);
}

/// Every option validated by the loader, run with the sweep's seed and replications (the
/// baseline's, unless given) and its limit on open cases.
std::vector<scenarios::Scenario> option_scenarios(const scenarios::SweepPlan &plan,
                                                  std::optional<std::uint64_t> seed,
                                                  std::optional<std::uint32_t> replications,
                                                  std::optional<std::uint32_t> max_open_cases) {
  std::vector<scenarios::Scenario> out;
  for (std::size_t i = 0; i < plan.options.size(); ++i)
    out.push_back(scenarios::option_scenario(plan, i));
  for (scenarios::Scenario &s : out) {
    s.seed = seed.value_or(out.front().seed);
    s.replications = replications.value_or(out.front().replications);
    if (max_open_cases) s.organisation.max_open_cases = *max_open_cases;
  }
  return out;
}

/// The capacity forecast of each option, which the variance needs.
void forecast_options(SweepResult &result, unsigned jobs) {
  parallel_for(result.options.size(), jobs, nullptr, [&](std::size_t i) {
    result.options[i].capacity = forecast_capacity(result.options[i].experiment.scenario);
  });
}

// --- Part files: the figures of a replication as JSON and back ----------------------------------

// Every field of the figures a part carries. A new field must be added here, or a merged sweep
// would differ from an unsharded one: the sizes below fail to compile until it is.
constexpr std::array<std::uint64_t CaseFigures::*, 5> case_counts{
    &CaseFigures::offered, &CaseFigures::answered, &CaseFigures::abandoned, &CaseFigures::resolved,
    &CaseFigures::open};
constexpr std::array<double CaseFigures::*, 12> case_rates{
    &CaseFigures::sla_attainment,  &CaseFigures::abandonment,
    &CaseFigures::mean_wait,       &CaseFigures::asa,
    &CaseFigures::p90_wait,        &CaseFigures::touches,
    &CaseFigures::mean_resolution, &CaseFigures::p90_resolution,
    &CaseFigures::escalation_rate, &CaseFigures::reopen_rate,
    &CaseFigures::handoff_rate,    &CaseFigures::no_qualified_agent_rate};
static_assert(sizeof(CaseFigures) == (case_counts.size() + case_rates.size()) * 8,
              "a new CaseFigures field must be written to sweep part files");
constexpr std::array<double IntervalFigures::*, 15> interval_fields{
    &IntervalFigures::offered,
    &IntervalFigures::answered,
    &IntervalFigures::sla_attainment,
    &IntervalFigures::asa,
    &IntervalFigures::abandonment,
    &IntervalFigures::backlog,
    &IntervalFigures::backlog_age_hours,
    &IntervalFigures::utilisation,
    &IntervalFigures::available_hours,
    &IntervalFigures::work_hours,
    &IntervalFigures::work_hours_other_regions,
    &IntervalFigures::work_hours_escalation_tiers,
    &IntervalFigures::resolved,
    &IntervalFigures::cost,
    &IntervalFigures::agents_available};
// The per channel and priority breakdowns are left out: no sweep figure uses them.
static_assert(sizeof(IntervalFigures) == interval_fields.size() * 8 +
                                             sizeof(IntervalFigures::by_channel) +
                                             sizeof(IntervalFigures::by_priority),
              "a new IntervalFigures field must be written to sweep part files");
constexpr std::array<double GroupFigures::*, 5> group_fields{
    &GroupFigures::utilisation, &GroupFigures::paid_hours, &GroupFigures::overtime_hours,
    &GroupFigures::idle_hours, &GroupFigures::cost};
static_assert(sizeof(GroupFigures) == group_fields.size() * 8,
              "a new GroupFigures field must be written to sweep part files");
constexpr std::array<double RegionFigures::*, 6> region_fields{
    &RegionFigures::utilisation, &RegionFigures::paid_hours, &RegionFigures::overtime_hours,
    &RegionFigures::idle_hours,  &RegionFigures::cost,       &RegionFigures::cost_per_resolved};

/// A double as JSON, exactly: nlohmann writes the shortest text that reads back to the same
/// double; NaN (undefined) as null, infinities as strings.
json exact(double x) {
  if (std::isnan(x)) return nullptr;
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

json case_json(const CaseFigures &c) {
  json out = json::array();
  for (auto field : case_counts)
    out.push_back(c.*field);
  for (auto field : case_rates)
    out.push_back(exact(c.*field));
  return out;
}

/// The numbers of `x` named by `fields`, in their order, as a JSON array.
template <class T, std::size_t N>
json fields_json(const T &x, const std::array<double T::*, N> &fields) {
  json out = json::array();
  for (auto field : fields)
    out.push_back(exact(x.*field));
  return out;
}

json region_json(const RegionFigures &r) {
  json priorities = json::array(), weeks = json::array();
  for (const CaseFigures &c : r.by_priority)
    priorities.push_back(case_json(c));
  for (const IntervalFigures &w : r.weeks)
    weeks.push_back(fields_json(w, interval_fields));
  return {{"name", r.name},
          {"agents", r.agents},
          {"priorities", std::move(priorities)},
          {"all", case_json(r.all)},
          {"figures", fields_json(r, region_fields)},
          {"trigger_firings", r.trigger_firings},
          {"weeks", std::move(weeks)}};
}

json replication_json(const ReplicationFigures &rep) {
  json regions = json::array(), segments = json::array(), channels = json::array(),
       groups = json::array();
  for (const RegionFigures &r : rep.regions)
    regions.push_back(region_json(r));
  for (const CaseFigures &c : rep.by_segment)
    segments.push_back(case_json(c));
  for (const CaseFigures &c : rep.by_channel)
    channels.push_back(case_json(c));
  for (const GroupFigures &g : rep.groups)
    groups.push_back(fields_json(g, group_fields));
  return {{"regions", std::move(regions)},
          {"all", region_json(rep.all)},
          {"segments", std::move(segments)},
          {"channels", std::move(channels)},
          {"groups", std::move(groups)}};
}

/// Reads a part file's figures back; a malformed one is a SweepError naming the file and the
/// place.
class PartReader {
public:
  explicit PartReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string &pointer, const std::string &problem) const {
    throw SweepError(fmt::format("{}: {}: {}", file_, pointer, problem));
  }
  const json &member(const json &object, const std::string &pointer, const char *key) const {
    if (!object.is_object()) fail(pointer, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(pointer, fmt::format("missing \"{}\"", key));
    return *it;
  }
  const json &array(const json &v, const std::string &pointer, std::size_t size) const {
    if (!v.is_array() || (size != any_size && v.size() != size))
      fail(pointer, size == any_size ? std::string("expected an array")
                                     : fmt::format("expected an array of {}", size));
    return v;
  }
  double number(const json &v, const std::string &pointer) const {
    if (v.is_null()) return nan;
    if (v.is_number()) return v.get<double>();
    if (v == "inf") return std::numeric_limits<double>::infinity();
    if (v == "-inf") return -std::numeric_limits<double>::infinity();
    fail(pointer, "expected a number, null, \"inf\" or \"-inf\"");
  }
  template <class Integer> Integer whole(const json &v, const std::string &pointer) const {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > std::numeric_limits<Integer>::max())
      fail(pointer, "expected a whole number");
    return v.get<Integer>();
  }
  std::string text(const json &v, const std::string &pointer) const {
    if (!v.is_string()) fail(pointer, "expected a string");
    return v.get<std::string>();
  }

  /// Reads into `x` the numbers `fields` names, from the array `v` (fields_json's).
  template <class T, std::size_t N>
  void read_fields(const json &v, const std::string &p, T &x,
                   const std::array<double T::*, N> &fields) const {
    array(v, p, N);
    for (std::size_t k = 0; k < N; ++k)
      x.*fields[k] = number(v[k], fmt::format("{}/{}", p, k));
  }

  CaseFigures case_figures(const json &v, const std::string &p) const {
    array(v, p, case_counts.size() + case_rates.size());
    CaseFigures c;
    for (std::size_t i = 0; i < case_counts.size(); ++i)
      c.*case_counts[i] = whole<std::uint64_t>(v[i], fmt::format("{}/{}", p, i));
    for (std::size_t i = 0; i < case_rates.size(); ++i) {
      const std::size_t at = case_counts.size() + i;
      c.*case_rates[i] = number(v[at], fmt::format("{}/{}", p, at));
    }
    return c;
  }
  RegionFigures region(const json &v, const std::string &p) const {
    RegionFigures r;
    r.name = text(member(v, p, "name"), p + "/name");
    r.agents = whole<std::uint32_t>(member(v, p, "agents"), p + "/agents");
    const json &priorities =
        array(member(v, p, "priorities"), p + "/priorities", r.by_priority.size());
    for (std::size_t k = 0; k < r.by_priority.size(); ++k)
      r.by_priority[k] = case_figures(priorities[k], fmt::format("{}/priorities/{}", p, k));
    r.all = case_figures(member(v, p, "all"), p + "/all");
    read_fields(member(v, p, "figures"), p + "/figures", r, region_fields);
    r.trigger_firings =
        whole<std::uint32_t>(member(v, p, "trigger_firings"), p + "/trigger_firings");
    const json &weeks = array(member(v, p, "weeks"), p + "/weeks", any_size);
    for (std::size_t w = 0; w < weeks.size(); ++w)
      read_fields(weeks[w], fmt::format("{}/weeks/{}", p, w), r.weeks.emplace_back(),
                  interval_fields);
    return r;
  }
  ReplicationFigures replication(const json &v, const std::string &p) const {
    ReplicationFigures rep;
    const json &regions = array(member(v, p, "regions"), p + "/regions", any_size);
    for (std::size_t q = 0; q < regions.size(); ++q)
      rep.regions.push_back(region(regions[q], fmt::format("{}/regions/{}", p, q)));
    rep.all = region(member(v, p, "all"), p + "/all");
    const json &segments = array(member(v, p, "segments"), p + "/segments", rep.by_segment.size());
    for (std::size_t k = 0; k < rep.by_segment.size(); ++k)
      rep.by_segment[k] = case_figures(segments[k], fmt::format("{}/segments/{}", p, k));
    const json &channels = array(member(v, p, "channels"), p + "/channels", rep.by_channel.size());
    for (std::size_t k = 0; k < rep.by_channel.size(); ++k)
      rep.by_channel[k] = case_figures(channels[k], fmt::format("{}/channels/{}", p, k));
    const json &groups = array(member(v, p, "groups"), p + "/groups", any_size);
    for (std::size_t g = 0; g < groups.size(); ++g)
      read_fields(groups[g], fmt::format("{}/groups/{}", p, g), rep.groups.emplace_back(),
                  group_fields);
    return rep;
  }

  static constexpr std::size_t any_size = std::numeric_limits<std::size_t>::max();

private:
  std::string file_;
};

/// One part file, read.
struct Part {
  std::string path;
  json doc;
  std::string fingerprint;
  Shard shard;
};

// --- Summaries ----------------------------------------------------------------------------------

/// One figure of every replication.
template <class Pick> std::vector<double> per_replication(const ExperimentResult &r, Pick pick) {
  std::vector<double> values;
  values.reserve(r.replications.size());
  for (const ReplicationFigures &rep : r.replications)
    values.push_back(pick(rep));
  return values;
}

PairedDifference paired(const std::vector<double> &option, const std::vector<double> &baseline) {
  std::vector<double> differences;
  for (std::size_t i = 0; i < option.size() && i < baseline.size(); ++i)
    differences.push_back(option[i] - baseline[i]); // NaN in either is left out by estimate()
  PairedDifference d{estimate(differences), ""};
  const Estimate &e = d.difference;
  if (std::isnan(e.mean) || std::isnan(e.half_width))
    d.verdict = "undetermined";
  else if (e.mean - e.half_width <= 0 && 0 <= e.mean + e.half_width)
    d.verdict = "indistinguishable";
  else
    d.verdict = e.mean > 0 ? "higher" : "lower";
  return d;
}

// --- Rendering helpers --------------------------------------------------------------------------

/// "≈" when indistinguishable, "?" when undetermined, the sign's word otherwise.
std::string verdict_word(const std::optional<PairedDifference> &d, const char *higher,
                         const char *lower, const char *same) {
  if (!d || d->verdict == "undetermined") return "";
  if (d->verdict == "indistinguishable") return same;
  return d->verdict == "higher" ? higher : lower;
}

/// The targets an option misses, short: "P3,P4,util"; or how it meets them.
std::string targets_text(const OptionSummary &o) {
  if (o.targets_met_with_confidence) return "met (confident)";
  if (o.targets_met) return "met";
  std::vector<std::string> missed = missed_targets(o);
  for (std::string &name : missed)
    name = name == "utilisation" ? "util" : name.substr(name.rfind('_') + 1);
  return "miss " + join(missed, ",");
}

ordered_json difference_json(const std::optional<PairedDifference> &d) {
  if (!d) return nullptr;
  ordered_json j = estimate_json(d->difference);
  j["verdict"] = d->verdict;
  return j;
}

} // namespace

std::string sweep_fingerprint(const scenarios::SweepPlan &plan, std::uint64_t seed,
                              std::uint32_t replications, const std::string &version) {
  json identity = scenarios::plan_to_json(plan);
  // Where the scenario was read from does not change the results: shards run from different
  // folders still merge.
  identity.erase("source");
  identity["seed"] = seed;
  identity["replications"] = replications;
  identity["version"] = version;
  return fmt::format("{:016x}", sim::stable_hash(identity.dump()));
}

SweepResult run_sweep(const scenarios::SweepPlan &plan, const SweepRunOptions &options) {
  // Every option is validated before anything runs, shard or not: a mistake shows at once.
  std::vector<scenarios::Scenario> scenarios =
      option_scenarios(plan, options.seed, options.replications, options.max_open_cases);
  SweepResult result;
  result.plan = plan;
  result.seed = scenarios.front().seed;
  result.replications = scenarios.front().replications;
  result.version = options.version;
  result.fingerprint = sweep_fingerprint(plan, result.seed, result.replications, result.version);
  result.shard = options.shard;
  for (std::size_t i = 0; i < plan.options.size(); ++i) {
    if (options.shard && !options.shard->holds(i)) continue;
    OptionResult o;
    o.index = i;
    o.experiment.scenario = std::move(scenarios[i]);
    o.experiment.replications.resize(result.replications);
    result.options.push_back(std::move(o));
  }

  // One task per option and replication, option by option; each writes only its own slot, so
  // the result does not depend on which thread ran what. Every option runs with the same seed:
  // replication r of each draws the same cases (common random numbers).
  const std::size_t reps = result.replications;
  const std::size_t total = result.options.size() * reps;
  std::mutex progress_mutex;
  std::size_t done = 0;
  parallel_for(total, options.jobs, options.cancel, [&](std::size_t task) {
    OptionResult &o = result.options[task / reps];
    const auto r = static_cast<std::uint32_t>(task % reps);
    // Hours are the cheapest intervals to keep, and a sweep keeps none of them (keep_for_sweep).
    ReplicationFigures figures = run_replication(o.experiment.scenario, result.seed, r, nullptr,
                                                 nullptr, default_sl_seconds, 60);
    keep_for_sweep(figures);
    o.experiment.replications[r] = std::move(figures);
    if (options.progress) {
      const std::lock_guard lock(progress_mutex);
      options.progress(++done, total);
    }
  });
  if (!options.shard) forecast_options(result, options.jobs);
  return result;
}

std::string sweep_part_name(const Shard &shard) {
  return fmt::format("sweep-part-{}-of-{}.json", shard.index, shard.count);
}

std::string render_sweep_part(const SweepResult &r) {
  json options = json::array();
  for (const OptionResult &o : r.options) {
    json replications = json::array();
    for (const ReplicationFigures &rep : o.experiment.replications)
      replications.push_back(replication_json(rep));
    options.push_back({{"index", o.index}, {"replications", std::move(replications)}});
  }
  const Shard shard = r.shard.value_or(Shard{});
  const json doc{{"supportsim_sweep_part", part_format},
                 {"version", r.version},
                 {"fingerprint", r.fingerprint},
                 {"shard", {{"index", shard.index}, {"count", shard.count}}},
                 {"seed", r.seed},
                 {"replications", r.replications},
                 {"plan", scenarios::plan_to_json(r.plan)},
                 {"options", std::move(options)}};
  return doc.dump() + "\n";
}

namespace {

/// One part file read: its document, fingerprint and shard (checked: a part of a sweep).
Part read_part(const std::string &path) {
  Part part{path, {}, {}, {}};
  try {
    part.doc =
        scenarios::read_json_file(path, "a sweep part file (JSON)", scenarios::max_part_file_bytes);
  } catch (const scenarios::ScenarioError &e) {
    throw SweepError(e.what());
  }
  const PartReader read(path);
  const json *format = part.doc.is_object() && part.doc.contains("supportsim_sweep_part")
                           ? &part.doc["supportsim_sweep_part"]
                           : nullptr;
  if (!format || !format->is_number_integer() || *format != part_format)
    throw SweepError(fmt::format("{}: expected a part file of a sweep (what supportsim sweep "
                                 "--shard K/N writes), found something else",
                                 path));
  part.fingerprint = read.text(read.member(part.doc, "", "fingerprint"), "/fingerprint");
  const json &shard = read.member(part.doc, "", "shard");
  part.shard.index =
      read.whole<std::uint32_t>(read.member(shard, "/shard", "index"), "/shard/index");
  part.shard.count =
      read.whole<std::uint32_t>(read.member(shard, "/shard", "count"), "/shard/count");
  if (part.shard.count == 0 || part.shard.index == 0 || part.shard.index > part.shard.count)
    read.fail("/shard", fmt::format("expected part K of N with 1 <= K <= N, found {} of {}",
                                    part.shard.index, part.shard.count));
  return part;
}

/// The parts sorted by shard, checked to be every part of one sweep, each once.
void check_parts(std::vector<Part> &parts) {
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Part &a, const Part &b) { return a.shard.index < b.shard.index; });
  const Part &first = parts.front();
  for (const Part &p : parts) {
    if (p.fingerprint != first.fingerprint)
      throw SweepError(fmt::format(
          "{} and {} come from different sweeps (fingerprints {} and {}): the scenario, the "
          "options, the seed, the replications or supportsim's version differ",
          first.path, p.path, first.fingerprint, p.fingerprint));
    if (p.shard.count != first.shard.count)
      throw SweepError(fmt::format("{} is part {} of {}, but {} is part {} of {}", first.path,
                                   first.shard.index, first.shard.count, p.path, p.shard.index,
                                   p.shard.count));
  }
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (parts[i].shard.index == parts[i - 1].shard.index)
      throw SweepError(fmt::format("{} and {} are both part {} of {}", parts[i - 1].path,
                                   parts[i].path, parts[i].shard.index, parts[i].shard.count));
  if (parts.size() != first.shard.count) {
    std::string missing;
    std::size_t count = 0;
    for (std::uint32_t k = 1, at = 0; k <= first.shard.count; ++k) {
      if (at < parts.size() && parts[at].shard.index == k) {
        ++at;
        continue;
      }
      missing += (missing.empty() ? "" : ", ") + std::to_string(k);
      ++count;
    }
    throw SweepError(fmt::format("part{} {} of {} {} missing: merge needs every part of the sweep",
                                 count == 1 ? "" : "s", missing, first.shard.count,
                                 count == 1 ? "is" : "are"));
  }
}

/// What decides the sweep's results, from the first part: plan, seed, replications, version
/// (this one's) and fingerprint (matching the contents).
SweepResult read_identity(const Part &first, const std::string &version) {
  const PartReader read_first(first.path);
  SweepResult result;
  try {
    result.plan =
        scenarios::plan_from_json(read_first.member(first.doc, "", "plan"), first.path, "/plan");
  } catch (const scenarios::ScenarioError &e) {
    throw SweepError(e.what());
  }
  result.seed = read_first.whole<std::uint64_t>(read_first.member(first.doc, "", "seed"), "/seed");
  result.replications = read_first.whole<std::uint32_t>(
      read_first.member(first.doc, "", "replications"), "/replications");
  result.version = read_first.text(read_first.member(first.doc, "", "version"), "/version");
  // The forecasts are computed again here: by another version they might come out otherwise.
  if (result.version != version)
    throw SweepError(fmt::format("{}: made by supportsim {}; this is {}, whose figures may differ: "
                                 "run the sweep again, or merge with that version",
                                 first.path, result.version, version));
  result.fingerprint =
      sweep_fingerprint(result.plan, result.seed, result.replications, result.version);
  if (result.fingerprint != first.fingerprint)
    throw SweepError(fmt::format("{}: damaged: its contents do not match its fingerprint {}",
                                 first.path, first.fingerprint));

  return result;
}

/// Every option's scenario, and its replications from the part that holds it.
void read_options(SweepResult &result, const std::vector<Part> &parts) {
  std::vector<scenarios::Scenario> scenarios =
      option_scenarios(result.plan, result.seed, result.replications, {});
  result.options.resize(result.plan.options.size());
  for (std::size_t i = 0; i < result.options.size(); ++i) {
    result.options[i].index = i;
    result.options[i].experiment.scenario = std::move(scenarios[i]);
  }
  for (const Part &p : parts) {
    const PartReader read(p.path);
    const json &list =
        read.array(read.member(p.doc, "", "options"), "/options", PartReader::any_size);
    std::size_t at = 0;
    for (std::size_t i = 0; i < result.options.size(); ++i) {
      if (!p.shard.holds(i)) continue;
      const std::string pointer = fmt::format("/options/{}", at);
      if (at >= list.size() ||
          read.whole<std::size_t>(read.member(list[at], pointer, "index"), pointer + "/index") != i)
        read.fail(pointer, fmt::format("expected option {} of part {} of {}", i, p.shard.index,
                                       p.shard.count));
      const json &reps = read.array(read.member(list[at], pointer, "replications"),
                                    pointer + "/replications", result.replications);
      for (std::size_t r = 0; r < reps.size(); ++r)
        result.options[i].experiment.replications.push_back(
            read.replication(reps[r], fmt::format("{}/replications/{}", pointer, r)));
      ++at;
    }
    if (at != list.size())
      read.fail("/options", fmt::format("expected {} options in part {} of {}, found {}", at,
                                        p.shard.index, p.shard.count, list.size()));
  }
}

} // namespace

SweepResult merge_sweep_parts(const std::vector<std::string> &paths, const std::string &version,
                              unsigned jobs) {
  if (paths.empty()) throw SweepError("merge needs the part files of a sweep (sweep --shard K/N)");
  std::vector<Part> parts;
  for (const std::string &path : paths)
    parts.push_back(read_part(path));
  check_parts(parts);
  SweepResult result = read_identity(parts.front(), version);
  // Every part, not only the first: a part whose version or plan was edited by hand still
  // carries the sweep's fingerprint, and only its contents tell.
  for (std::size_t i = 1; i < parts.size(); ++i)
    read_identity(parts[i], version);
  read_options(result, parts);
  forecast_options(result, jobs);
  return result;
}

namespace {

// The figures compared with the baseline, per replication.
/// The figures compared with the baseline, per replication.
struct Paired {
  std::vector<double> cost, cost_per_resolved, sla;
  models::PerPriority<std::vector<double>> sla_by_priority;
};

Paired paired_figures(const ExperimentResult &r) {
  Paired p;
  p.cost = per_replication(r, [](const ReplicationFigures &rep) { return rep.all.cost; });
  p.cost_per_resolved =
      per_replication(r, [](const ReplicationFigures &rep) { return rep.all.cost_per_resolved; });
  p.sla =
      per_replication(r, [](const ReplicationFigures &rep) { return rep.all.all.sla_attainment; });
  for (std::size_t k = 0; k < models::priority_count; ++k)
    p.sla_by_priority[k] = per_replication(
        r, [k](const ReplicationFigures &rep) { return rep.all.by_priority[k].sla_attainment; });
  return p;
}

/// One option's figures, targets, forecast variance and paired differences with the baseline.
OptionSummary summarise_option(const OptionResult &option, const SweepResult &result,
                               const scenarios::SettingsTable &settings,
                               const std::vector<std::string> &region_names, const Paired &base) {
  const ExperimentResult &r = option.experiment;
  OptionSummary o;
  o.index = option.index;
  o.name = result.plan.options[option.index].name;
  o.settings = settings.values[option.index];
  const Paired mine = paired_figures(r);
  o.cost = estimate(mine.cost);
  o.cost_per_resolved = estimate(mine.cost_per_resolved);
  o.sla = estimate(mine.sla);
  for (std::size_t k = 0; k < models::priority_count; ++k)
    o.sla_by_priority[k] = estimate(mine.sla_by_priority[k]);
  o.utilisation = estimate(
      per_replication(r, [](const ReplicationFigures &rep) { return rep.all.utilisation; }));
  // Regions by name: an option may add or remove one.
  for (const std::string &name : region_names) {
    const auto &regions = r.scenario.organisation.regions;
    const auto at = std::find_if(regions.begin(), regions.end(),
                                 [&](const models::RegionConfig &q) { return q.name == name; });
    if (at == regions.end()) {
      o.region_sla.push_back({nan, nan, 0});
      o.region_utilisation.push_back({nan, nan, 0});
      continue;
    }
    const auto q = static_cast<std::size_t>(at - regions.begin());
    o.region_sla.push_back(estimate(per_replication(
        r, [q](const ReplicationFigures &rep) { return rep.regions[q].all.sla_attainment; })));
    o.region_utilisation.push_back(estimate(per_replication(
        r, [q](const ReplicationFigures &rep) { return rep.regions[q].utilisation; })));
  }
  const VarianceReport variance = forecast_variance(r, option.capacity);
  const std::size_t weeks = variance.week_starts.size();
  o.region_weeks = variance.regions.size() * weeks;
  for (std::size_t cell = 0; cell < o.region_weeks; ++cell) {
    bool flagged = false;
    for (std::size_t k = 0; k < variance_figure_count; ++k)
      flagged = flagged || variance.rows[cell * variance_figure_count + k].flagged;
    o.flagged_region_weeks += flagged;
  }
  for (std::size_t k = 0; k < models::priority_count; ++k)
    o.targets.push_back(at_least(fmt::format("sla_attainment_{}", models::priority_names[k]),
                                 r.scenario.sla.attainment_target[k], o.sla_by_priority[k]));
  o.targets.push_back(at_least("utilisation", r.scenario.sla.utilisation_target, o.utilisation));
  o.targets_met =
      std::all_of(o.targets.begin(), o.targets.end(), [](const TargetCheck &t) { return t.met; });
  o.targets_met_with_confidence = std::all_of(o.targets.begin(), o.targets.end(),
                                              [](const TargetCheck &t) { return t.confident; });
  if (option.index != 0) {
    o.cost_difference = paired(mine.cost, base.cost);
    o.cost_per_resolved_difference = paired(mine.cost_per_resolved, base.cost_per_resolved);
    o.sla_difference = paired(mine.sla, base.sla);
    for (std::size_t k = 0; k < models::priority_count; ++k)
      o.sla_difference_by_priority[k] = paired(mine.sla_by_priority[k], base.sla_by_priority[k]);
  }
  return o;
}

} // namespace

SweepSummary summarise_sweep(const SweepResult &result) {
  if (result.shard || result.options.size() != result.plan.options.size())
    throw std::logic_error("summarise_sweep needs every option: merge the parts first");
  SweepSummary s;
  const ExperimentResult &baseline = result.options.front().experiment;
  s.scenario = baseline.scenario.name;
  s.source = result.plan.source;
  s.seed = result.seed;
  s.replications = result.replications;
  s.fingerprint = result.fingerprint;
  const scenarios::SettingsTable settings = scenarios::settings_table(result.plan);
  s.settings = settings.paths;
  for (const models::RegionConfig &region : baseline.scenario.organisation.regions)
    s.regions.push_back(region.name);

  const Paired base = paired_figures(baseline);
  for (const OptionResult &option : result.options)
    s.options.push_back(summarise_option(option, result, settings, s.regions, base));
  return s;
}

namespace {

/// The sweep table's first lines: version, scenario, options, replications, seed.
std::string sweep_heading(const SweepSummary &s, const std::string &version) {
  std::string out;
  out +=
      fmt::format("supportsim {} · sweep of scenario \"{}\" · {}\n", version, s.scenario, s.source);
  out += fmt::format("{} option{} × {} replication{} · seed {} · common random numbers: every "
                     "option sees the same cases\n",
                     s.options.size(), s.options.size() == 1 ? "" : "s", s.replications,
                     s.replications == 1 ? "" : "s", s.seed);
  out += "± is a 95% confidence interval over the replications; option 0 is the scenario "
         "unchanged\n\n";
  return out;
}

/// Options, with their headline figures. A name too long for its column goes on a line of its
/// own, the figures below it.
std::string sweep_options_block(const SweepSummary &s) {
  constexpr std::size_t width = 100;
  std::string out;
  constexpr std::size_t figures_width = 9 + 2 + 14 + 2 + 14; // after the name
  const std::size_t name_room = width - 4 - 1 - figures_width;
  std::size_t name_width = std::string("option").size();
  for (const OptionSummary &o : s.options)
    if (o.name.size() <= name_room) name_width = std::max(name_width, o.name.size());
  out += fmt::format("{:>3} {:<{}} {:>9}  {:<14}  {}\n", "#", "option", name_width, "cost/case",
                     "SLA attained", "utilisation");
  for (const OptionSummary &o : s.options) {
    std::string name = o.name;
    if (name.size() > name_width) {
      out += fmt::format("{:>3} {}\n", o.index, name);
      name.clear();
    }
    out += fmt::format("{:>3} {:<{}} {:>9}  {:<14}  {}\n",
                       name.empty() ? std::string() : std::to_string(o.index), name, name_width,
                       format_money(o.cost_per_resolved.mean),
                       format_percent(o.sla.mean, o.sla.half_width),
                       format_percent(o.utilisation.mean, o.utilisation.half_width));
  }
  out += "\n";
  return out;
}

/// SLA attainment per priority, the targets and the forecast variance.
std::string sweep_targets_block(const SweepSummary &s) {
  std::string out;
  out += fmt::format("{:>3} {:>7} {:>7} {:>7} {:>7}  {:<21}  {}\n", "#", "P1", "P2", "P3", "P4",
                     "targets", "variance flagged");
  for (const OptionSummary &o : s.options)
    out += fmt::format(
        "{:>3} {:>7} {:>7} {:>7} {:>7}  {:<21}  {} of {} region-weeks\n", o.index,
        format_percent(o.sla_by_priority[0].mean), format_percent(o.sla_by_priority[1].mean),
        format_percent(o.sla_by_priority[2].mean), format_percent(o.sla_by_priority[3].mean),
        targets_text(o), o.flagged_region_weeks, o.region_weeks);
  const OptionSummary &base = s.options.front();
  out += fmt::format("    SLA attained per priority (mean); the baseline's goals: P1 {} · P2 {} · "
                     "P3 {} · P4 {},\n    utilisation {}. met: every mean at or above its goal; "
                     "confident: every 95% interval too\n\n",
                     format_goal(base.targets[0].goal), format_goal(base.targets[1].goal),
                     format_goal(base.targets[2].goal), format_goal(base.targets[3].goal),
                     format_goal(base.targets[4].goal));
  return out;
}

/// Per region: SLA attainment and the region's agents' utilisation, a few regions at a time.
std::string sweep_regions_block(const SweepSummary &s) {
  std::string out;
  constexpr std::size_t regions_per_block = 5;
  for (std::size_t first = 0; first < s.regions.size(); first += regions_per_block) {
    const std::size_t last = std::min(s.regions.size(), first + regions_per_block);
    out += fmt::format("{:>3}", "#");
    for (std::size_t q = first; q < last; ++q)
      out += fmt::format(" {:>8} {:>8}", s.regions[q].substr(0, 8), "util");
    out += "\n";
    for (const OptionSummary &o : s.options) {
      out += fmt::format("{:>3}", o.index);
      for (std::size_t q = first; q < last; ++q)
        out += fmt::format(" {:>8} {:>8}", format_percent(o.region_sla[q].mean),
                           format_percent(o.region_utilisation[q].mean));
      out += "\n";
    }
  }
  out += "    per customer region: SLA attained, and the region's agents' utilisation\n\n";
  return out;
}

/// Paired differences from the baseline (none for a sweep of one option).
std::string sweep_paired_block(const SweepSummary &s) {
  if (s.options.size() <= 1) return "";
  std::string out;
  out += fmt::format("{:>3} {:<18} {:<16} {:>6} {:>6} {:>6} {:>6}  {}\n", "#", "Δ cost",
                     "Δ SLA (points)", "Δ P1", "Δ P2", "Δ P3", "Δ P4", "verdict");
  for (const OptionSummary &o : s.options) {
    if (o.index == 0) continue;
    std::string verdict;
    const std::string cost = verdict_word(o.cost_difference, "dearer", "cheaper", "cost ≈");
    const std::string sla = verdict_word(o.sla_difference, "better SLA", "worse SLA", "SLA ≈");
    if (cost == "cost ≈" && sla == "SLA ≈")
      verdict = "indistinguishable";
    else if (!cost.empty() || !sla.empty())
      verdict = cost + (cost.empty() || sla.empty() ? "" : ", ") + sla;
    out += fmt::format(
        "{:>3} {:<18} {:<16} {:>6} {:>6} {:>6} {:>6}  {}\n", o.index,
        format_signed_amount(o.cost_difference->difference),
        format_points(o.sla_difference->difference.mean, o.sla_difference->difference.half_width),
        format_points(o.sla_difference_by_priority[0]->difference.mean),
        format_points(o.sla_difference_by_priority[1]->difference.mean),
        format_points(o.sla_difference_by_priority[2]->difference.mean),
        format_points(o.sla_difference_by_priority[3]->difference.mean), verdict);
  }
  out += "    paired differences from option 0: mean ± 95% interval of (option - baseline) "
         "over the\n    replications, which share their cases; ≈: indistinguishable (the "
         "interval holds 0)\n";
  return out;
}

} // namespace

std::string render_sweep_table(const SweepSummary &s, const std::string &version) {
  return sweep_heading(s, version) + sweep_options_block(s) + sweep_targets_block(s) +
         sweep_regions_block(s) + sweep_paired_block(s);
}

namespace {

/// The columns of sweep.csv and the keys of sweep.json after the settings, one figure each.
struct SummaryColumn {
  std::string name;
  std::function<Estimate(const OptionSummary &)> get;
};

std::vector<SummaryColumn> summary_columns(const SweepSummary &s) {
  std::vector<SummaryColumn> columns{
      {"cost", [](const OptionSummary &o) { return o.cost; }},
      {"cost_per_resolved", [](const OptionSummary &o) { return o.cost_per_resolved; }},
      {"sla_attainment", [](const OptionSummary &o) { return o.sla; }}};
  for (std::size_t k = 0; k < models::priority_count; ++k)
    columns.push_back({fmt::format("sla_attainment_{}", models::priority_names[k]),
                       [k](const OptionSummary &o) { return o.sla_by_priority[k]; }});
  for (std::size_t q = 0; q < s.regions.size(); ++q)
    columns.push_back({fmt::format("sla_attainment_{}", s.regions[q]),
                       [q](const OptionSummary &o) { return o.region_sla[q]; }});
  columns.push_back({"utilisation", [](const OptionSummary &o) { return o.utilisation; }});
  for (std::size_t q = 0; q < s.regions.size(); ++q)
    columns.push_back({fmt::format("utilisation_{}", s.regions[q]),
                       [q](const OptionSummary &o) { return o.region_utilisation[q]; }});
  return columns;
}

struct DifferenceColumn {
  std::string name;
  std::function<const std::optional<PairedDifference> &(const OptionSummary &)> get;
};

std::vector<DifferenceColumn> difference_columns() {
  std::vector<DifferenceColumn> columns{
      {"cost", [](const OptionSummary &o) -> const auto &{return o.cost_difference;
}
} // namespace
, {"cost_per_resolved",
   [](const OptionSummary &o) -> const auto &{return o.cost_per_resolved_difference;
} // namespace supportsim::analysis
}
, {
  "sla_attainment", [](const OptionSummary &o) -> const auto & {
    return o.sla_difference;
  }
}
}
;
for (std::size_t k = 0; k < models::priority_count; ++k)
    columns.push_back(
        {fmt::format("sla_attainment_{}", models::priority_names[k]),
         [k](const OptionSummary &o) -> const auto & { return o.sla_difference_by_priority[k];
}
});
return columns;
}

} // namespace

std::vector<std::string> missed_targets(const OptionSummary &o) {
  std::vector<std::string> names;
  for (const TargetCheck &t : o.targets)
    if (!t.met) names.push_back(t.name);
  return names;
}

std::string render_sweep_csv(const SweepSummary &s) {
  const std::vector<SummaryColumn> columns = summary_columns(s);
  const std::vector<DifferenceColumn> differences = difference_columns();
  std::string out = "option,name";
  for (const std::string &path : s.settings)
    out.append(",").append(csv_field(path));
  out += ",replications";
  for (const SummaryColumn &c : columns)
    out += fmt::format(",{0}_mean,{0}_ci95", csv_field(c.name));
  out += ",flagged_region_weeks,region_weeks,targets_met,targets_met_with_confidence,"
         "missed_targets";
  for (const DifferenceColumn &c : differences)
    out += fmt::format(",delta_{0}_mean,delta_{0}_ci95,delta_{0}_verdict", c.name);
  out += "\n";
  for (const OptionSummary &o : s.options) {
    out += fmt::format("{},{}", o.index, csv_field(o.name));
    for (const json &value : o.settings)
      out.append(",").append(value.is_null() ? std::string() : value.dump());
    out += fmt::format(",{}", s.replications);
    for (const SummaryColumn &c : columns) {
      const Estimate e = c.get(o);
      out += fmt::format(",{},{}", csv_number(e.mean), csv_number(e.half_width));
    }
    out += fmt::format(",{},{},{},{},{}", o.flagged_region_weeks, o.region_weeks, o.targets_met,
                       o.targets_met_with_confidence, csv_field(join(missed_targets(o), " ")));
    for (const DifferenceColumn &c : differences) {
      const std::optional<PairedDifference> &d = c.get(o);
      if (d)
        out += fmt::format(",{},{},{}", csv_number(d->difference.mean),
                           csv_number(d->difference.half_width), d->verdict);
      else
        out += ",,,";
    }
    out += "\n";
  }
  return out;
}

std::string render_sweep_json(const SweepSummary &s, const std::string &version) {
  ordered_json doc;
  doc["supportsim_version"] = version;
  doc["scenario"] = {{"name", s.scenario}, {"source", s.source}};
  doc["seed"] = s.seed;
  doc["replications"] = s.replications;
  doc["fingerprint"] = s.fingerprint;
  doc["settings"] = s.settings;
  doc["regions"] = s.regions;
  const std::vector<SummaryColumn> columns = summary_columns(s);
  const std::vector<DifferenceColumn> differences = difference_columns();
  ordered_json options = ordered_json::array();
  for (const OptionSummary &o : s.options) {
    ordered_json jo;
    jo["index"] = o.index;
    jo["name"] = o.name;
    ordered_json settings = ordered_json::object();
    for (std::size_t c = 0; c < s.settings.size(); ++c)
      settings[s.settings[c]] = o.settings[c];
    jo["settings"] = std::move(settings);
    for (const SummaryColumn &c : columns)
      jo[c.name] = estimate_json(c.get(o));
    jo["forecast_variance"] = {{"flagged_region_weeks", o.flagged_region_weeks},
                               {"region_weeks", o.region_weeks}};
    ordered_json targets = ordered_json::array();
    for (const TargetCheck &t : o.targets)
      targets.push_back({{"name", t.name},
                         {"goal", t.goal},
                         {"value", estimate_json(t.value)},
                         {"met", t.met},
                         {"met_with_confidence", t.confident}});
    jo["targets"] = std::move(targets);
    jo["targets_met"] = o.targets_met;
    jo["targets_met_with_confidence"] = o.targets_met_with_confidence;
    ordered_json versus = ordered_json::object();
    for (const DifferenceColumn &c : differences)
      versus[c.name] = difference_json(c.get(o));
    jo["versus_baseline"] = o.index == 0 ? ordered_json(nullptr) : std::move(versus);
    options.push_back(std::move(jo));
  }
  doc["options"] = std::move(options);
  return doc.dump(2) + "\n";
}

} // namespace supportsim::analysis
