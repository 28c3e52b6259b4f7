#include "scenarios/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

namespace supportsim::scenarios {

using nlohmann::json;

ScenarioError::ScenarioError(std::string file, std::string pointer, std::string problem)
    : std::runtime_error(pointer.empty() ? fmt::format("{}: {}", file, problem)
                                         : fmt::format("{}: {}: {}", file, pointer, problem)),
      file_(std::move(file)), pointer_(std::move(pointer)), problem_(std::move(problem)) {}

namespace {

// The largest horizon accepted: the event calendar holds 2^47 us (about 4.4 years).
constexpr double max_horizon_days = 1461.0; // four years, warm-up included
constexpr double max_cases_per_replication = 1e9;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// `pointer` + "/" + `key`, with the key escaped as RFC 6901 asks ("~" as "~0", "/" as "~1").
std::string child(const std::string &pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string describe(const json &v) {
  switch (v.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::boolean:
    return v.get<bool>() ? "true" : "false";
  case json::value_t::string: {
    std::string s = v.get<std::string>();
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return fmt::format("the string \"{}\"", s);
  }
  case json::value_t::array:
    return fmt::format("an array of {}", v.size());
  case json::value_t::object:
    return "an object";
  default:
    return v.dump();
  }
}

/// Walks a parsed document, remembering where it is so every complaint names the place.
class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string &pointer, const std::string &problem) const {
    throw ScenarioError(file_, pointer.empty() ? "/" : pointer, problem);
  }
  [[noreturn]] void expected(const std::string &pointer, const std::string &what,
                             const json &found) const {
    fail(pointer, fmt::format("expected {}, found {}", what, describe(found)));
  }

  void require_object(const json &v, const std::string &pointer, const char *what) const {
    if (!v.is_object()) expected(pointer, what, v);
  }

  /// Every key of `object` must be one of `allowed`; suggests the nearest for a typo when one
  /// candidate is clearly nearest, and lists them all otherwise ("P5" is as near to P1 as to P4).
  void only_keys(const json &object, const std::string &pointer,
                 std::initializer_list<std::string_view> allowed) const {
    for (const auto &item : object.items()) {
      const std::string &key = item.key();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string_view best;
      std::size_t best_distance = std::numeric_limits<std::size_t>::max();
      bool tie = false;
      for (std::string_view candidate : allowed) {
        const std::size_t d = edit_distance(key, candidate);
        if (d < best_distance)
          best_distance = d, best = candidate, tie = false;
        else if (d == best_distance)
          tie = true;
      }
      std::string list;
      for (std::string_view candidate : allowed)
        list += fmt::format("{}{}", list.empty() ? "" : ", ", candidate);
      const std::string place = child(pointer, key);
      if (!tie && best_distance <= std::max<std::size_t>(1, key.size() / 3))
        fail(place, fmt::format("unknown key \"{}\"; did you mean \"{}\"?", key, best));
      fail(place, fmt::format("unknown key \"{}\"; expected one of: {}", key, list));
    }
  }

  const json *find(const json &object, const char *key) const {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }
  const json &need(const json &object, const std::string &pointer, const char *key) const {
    const json *v = find(object, key);
    if (!v) fail(pointer, fmt::format("missing required key \"{}\"", key));
    return *v;
  }

  double number(const json &v, const std::string &pointer, double lo, double hi,
                bool lo_open = false) const {
    const std::string what =
        hi == std::numeric_limits<double>::max()
            ? fmt::format("a number {} {:g}", lo_open ? ">" : ">=", lo)
            : fmt::format("a number {} {:g} and <= {:g}", lo_open ? ">" : ">=", lo, hi);
    if (!v.is_number()) expected(pointer, what, v);
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || (lo_open && x == lo) || x > hi) expected(pointer, what, v);
    return x;
  }

  std::uint64_t whole(const json &v, const std::string &pointer, std::uint64_t lo,
                      std::uint64_t hi) const {
    const std::string what = fmt::format("a whole number from {} to {}", lo, hi);
    if (v.is_number_unsigned()) {
      const auto x = v.get<std::uint64_t>();
      if (x < lo || x > hi) expected(pointer, what, v);
      return x;
    }
    expected(pointer, what, v);
  }

  std::string text(const json &v, const std::string &pointer) const {
    if (!v.is_string()) expected(pointer, "a string", v);
    return v.get<std::string>();
  }

  const std::string &file() const { return file_; }

private:
  std::string file_;
};

constexpr int max_mixture_depth = 8;

sim::Distribution read_distribution(const Reader &r, const json &v, const std::string &p,
                                    int depth = 0) {
  constexpr double big = 1e7; // minutes: about 19 years; anything longer is a typo
  if (depth > max_mixture_depth)
    r.fail(p, fmt::format("expected mixtures nested at most {} deep, found deeper nesting",
                          max_mixture_depth));
  r.require_object(v, p, "a distribution object such as {\"type\": \"exponential\", \"mean\": 30}");
  const std::string type = r.text(r.need(v, p, "type"), p + "/type");
  auto num = [&](const char *key, double lo, double hi, bool open) {
    return r.number(r.need(v, p, key), p + "/" + key, lo, hi, open);
  };
  try {
    if (type == "constant") {
      r.only_keys(v, p, {"type", "value"});
      return sim::Distribution::constant(num("value", 0, big, false));
    }
    if (type == "exponential") {
      r.only_keys(v, p, {"type", "mean"});
      return sim::Distribution::exponential(num("mean", 0, big, true));
    }
    if (type == "lognormal" || type == "gamma") {
      r.only_keys(v, p, {"type", "mean", "cv"});
      const double mean = num("mean", 0, big, true), cv = num("cv", 0, 20, true);
      return type == "lognormal" ? sim::Distribution::lognormal(mean, cv)
                                 : sim::Distribution::gamma(mean, cv);
    }
    if (type == "weibull") {
      r.only_keys(v, p, {"type", "shape", "scale"});
      return sim::Distribution::weibull(num("shape", 0.05, 100, false), num("scale", 0, big, true));
    }
    if (type == "uniform") {
      r.only_keys(v, p, {"type", "min", "max"});
      const double lo = num("min", 0, big, false), hi = num("max", 0, big, false);
      if (hi <= lo)
        r.fail(p + "/max", fmt::format("expected max > min ({:g}), found {:g}", lo, hi));
      return sim::Distribution::uniform(lo, hi);
    }
    if (type == "empirical") {
      r.only_keys(v, p, {"type", "values"});
      const json &values = r.need(v, p, "values");
      if (!values.is_array() || values.empty())
        r.expected(p + "/values", "a non-empty array of numbers", values);
      std::vector<double> xs;
      for (std::size_t i = 0; i < values.size(); ++i)
        xs.push_back(r.number(values[i], fmt::format("{}/values/{}", p, i), 0, big));
      return sim::Distribution::empirical(std::move(xs));
    }
    if (type == "mixture") {
      r.only_keys(v, p, {"type", "components"});
      const json &parts = r.need(v, p, "components");
      if (!parts.is_array() || parts.empty())
        r.expected(p + "/components", "a non-empty array of {\"weight\", \"distribution\"}", parts);
      std::vector<double> weights;
      std::vector<sim::Distribution> components;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string pi = fmt::format("{}/components/{}", p, i);
        r.require_object(parts[i], pi, "an object with \"weight\" and \"distribution\"");
        r.only_keys(parts[i], pi, {"weight", "distribution"});
        weights.push_back(r.number(r.need(parts[i], pi, "weight"), pi + "/weight", 0, 1e9));
        components.push_back(read_distribution(r, r.need(parts[i], pi, "distribution"),
                                               pi + "/distribution", depth + 1));
      }
      if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; }))
        r.fail(p + "/components", "expected at least one weight > 0, found all zero");
      return sim::Distribution::mixture(std::move(weights), std::move(components));
    }
  } catch (const std::invalid_argument &e) {
    r.fail(p, e.what());
  }
  r.fail(p + "/type",
         fmt::format("expected one of constant, exponential, lognormal, gamma, weibull, uniform, "
                     "empirical, mixture; found \"{}\"",
                     type));
}

models::PerPriority<double> read_per_priority(const Reader &r, const json &v, const std::string &p,
                                              double lo, double hi, bool lo_open,
                                              const models::PerPriority<double> &defaults) {
  r.require_object(v, p, "an object with keys P1, P2, P3, P4");
  r.only_keys(v, p, {"P1", "P2", "P3", "P4"});
  models::PerPriority<double> out = defaults;
  for (std::size_t i = 0; i < models::priority_count; ++i) {
    const std::string key(models::priority_names[i]);
    if (const json *x = r.find(v, key.c_str()))
      out[i] = r.number(*x, p + "/" + key, lo, hi, lo_open);
  }
  return out;
}

models::QueueConfig read_queue(const Reader &r, const json &v, const std::string &p) {
  r.require_object(v, p, "a queue object");
  r.only_keys(v, p,
              {"name", "agents", "arrivals_per_hour", "priority_mix", "handle_minutes",
               "patience_minutes"});
  models::QueueConfig q;
  q.name = r.text(r.need(v, p, "name"), p + "/name");
  if (q.name.empty()) r.fail(p + "/name", "expected a non-empty name, found \"\"");
  q.agents = static_cast<std::uint32_t>(r.whole(r.need(v, p, "agents"), p + "/agents", 0, 100000));
  q.arrivals_per_hour =
      r.number(r.need(v, p, "arrivals_per_hour"), p + "/arrivals_per_hour", 0, 1e6);
  if (const json *mix = r.find(v, "priority_mix")) {
    q.priority_mix = read_per_priority(r, *mix, p + "/priority_mix", 0, 1, false, {0, 0, 0, 0});
    double sum = 0;
    for (double x : q.priority_mix)
      sum += x;
    if (std::fabs(sum - 1.0) > 1e-6)
      r.fail(p + "/priority_mix", fmt::format("expected shares summing to 1, found {:g}", sum));
  }
  q.handle_minutes = read_distribution(r, r.need(v, p, "handle_minutes"), p + "/handle_minutes");
  if (const json *patience = r.find(v, "patience_minutes"))
    q.patience_minutes = read_distribution(r, *patience, p + "/patience_minutes");
  if (q.agents == 0 && q.arrivals_per_hour > 0)
    r.fail(p + "/agents", fmt::format("expected at least 1 agent for a queue with demand "
                                      "({:g} cases/hour), found 0",
                                      q.arrivals_per_hour));
  return q;
}

Scenario read_scenario(const Reader &r, const json &doc) {
  r.require_object(doc, "", "a scenario object");
  r.only_keys(doc, "",
              {"$schema", "name", "description", "seed", "replications", "horizon_days",
               "warmup_days", "sla", "queues"});
  Scenario s;
  s.source = r.file();
  s.name = r.text(r.need(doc, "", "name"), "/name");
  if (const json *d = r.find(doc, "description")) s.description = r.text(*d, "/description");
  if (const json *x = r.find(doc, "seed"))
    s.seed = r.whole(*x, "/seed", 0, std::numeric_limits<std::uint64_t>::max());
  if (const json *x = r.find(doc, "replications"))
    s.replications = static_cast<std::uint32_t>(r.whole(*x, "/replications", 1, 100000));
  const double horizon =
      r.number(r.need(doc, "", "horizon_days"), "/horizon_days", 0, max_horizon_days, true);
  // At least an hour: anything shorter measures nothing and is a unit mistake.
  if (horizon < 1.0 / 24)
    r.fail("/horizon_days",
           fmt::format("expected at least 1/24 day (one hour), found {:g}", horizon));
  double warmup = 0;
  if (const json *x = r.find(doc, "warmup_days"))
    warmup = r.number(*x, "/warmup_days", 0, max_horizon_days);
  if (horizon + warmup > max_horizon_days)
    r.fail("/warmup_days", fmt::format("expected horizon_days + warmup_days <= {:g}, found {:g}",
                                       max_horizon_days, horizon + warmup));
  s.warmup = sim::Duration::from_minutes(warmup * 24 * 60);
  s.organisation.horizon = s.warmup + sim::Duration::from_minutes(horizon * 24 * 60);

  if (const json *sla = r.find(doc, "sla")) {
    r.require_object(*sla, "/sla", "an object with first_response_minutes and targets");
    r.only_keys(*sla, "/sla", {"first_response_minutes", "targets"});
    if (const json *fr = r.find(*sla, "first_response_minutes")) {
      models::PerPriority<double> defaults{};
      for (std::size_t i = 0; i < models::priority_count; ++i)
        defaults[i] = s.sla.first_response[i].to_minutes();
      const auto minutes =
          read_per_priority(r, *fr, "/sla/first_response_minutes", 0, 1e6, true, defaults);
      for (std::size_t i = 0; i < models::priority_count; ++i)
        s.sla.first_response[i] = sim::Duration::from_minutes(minutes[i]);
    }
    if (const json *t = r.find(*sla, "targets"))
      s.sla.attainment_target =
          read_per_priority(r, *t, "/sla/targets", 0, 1, false, s.sla.attainment_target);
  }

  const json &queues = r.need(doc, "", "queues");
  if (!queues.is_array() || queues.empty())
    r.expected("/queues", "a non-empty array of queues", queues);
  if (queues.size() > 1000) r.expected("/queues", "at most 1000 queues", queues);
  for (std::size_t i = 0; i < queues.size(); ++i) {
    const std::string p = fmt::format("/queues/{}", i);
    s.organisation.queues.push_back(read_queue(r, queues[i], p));
    for (std::size_t j = 0; j < i; ++j)
      if (s.organisation.queues[j].name == s.organisation.queues[i].name)
        r.fail(p + "/name", fmt::format("expected a unique queue name, found \"{}\" again (also "
                                        "/queues/{})",
                                        s.organisation.queues[i].name, j));
  }
  // A run this large would take minutes per replication and looks like a unit mistake (cases
  // per hour given per month, say); refuse it rather than appear to hang.
  double expected_cases = 0;
  for (const auto &q : s.organisation.queues)
    expected_cases += q.arrivals_per_hour * s.organisation.horizon.to_hours();
  if (expected_cases > max_cases_per_replication)
    r.fail("/queues", fmt::format("expected at most {:g} cases per replication, found {:.3g} "
                                  "(arrivals_per_hour x (horizon_days + warmup_days) x 24)",
                                  max_cases_per_replication, expected_cases));
  return s;
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line, column = 1;
    else
      ++column;
  }
  return {line, column};
}

} // namespace

namespace {

json parse_json(std::string_view text, const std::string &source) {
  // nlohmann's messages start "[json.exception.parse_error.101] parse error at line 3, ...";
  // keep the explanation, but say where in our own terms.
  auto explanation = [](const json::exception &e) {
    std::string why = e.what();
    if (const auto bracket = why.find("] "); bracket != std::string::npos)
      why = why.substr(bracket + 2);
    return why;
  };
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error &e) {
    const auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    throw ScenarioError(fmt::format("{}:{}:{}", source, line, column), "",
                        fmt::format("not valid JSON ({})", explanation(e)));
  } catch (const json::exception &e) {
    // A number too large for a double ("1e400") is valid JSON that nlohmann cannot hold; it
    // names the number, so point at its first occurrence.
    std::string where = source;
    const std::string why = explanation(e);
    if (const auto q1 = why.find('\''), q2 = why.rfind('\''); q1 != std::string::npos && q2 > q1) {
      if (const auto at = text.find(why.substr(q1 + 1, q2 - q1 - 1));
          at != std::string_view::npos) {
        const auto [line, column] = line_and_column(text, at);
        where = fmt::format("{}:{}:{}", source, line, column);
      }
    }
    throw ScenarioError(where, "", fmt::format("expected a number a double can hold ({})", why));
  }
}

std::string read_text_file(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError(path, "", "is a directory; expected a scenario file (.json)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", fmt::format("cannot open: {}", std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw ScenarioError(path, "", "cannot read the file");
  return buffer.str();
}

bool all_named(const json &array) {
  return std::all_of(array.begin(), array.end(), [](const json &e) {
    return e.is_object() && e.contains("name") && e["name"].is_string();
  });
}

/// Lays `overlay` over `base`: objects merge key by key (null deletes a key), arrays of named
/// objects merge element by element by "name" ("remove": true deletes one; new names are
/// appended), anything else is replaced. So a what-if states only what changes.
void merge(json &base, const json &overlay) {
  if (base.is_object() && overlay.is_object()) {
    for (const auto &item : overlay.items()) {
      if (item.value().is_null())
        base.erase(item.key());
      else if (base.contains(item.key()))
        merge(base[item.key()], item.value());
      else
        base[item.key()] = item.value();
    }
    return;
  }
  if (base.is_array() && overlay.is_array() && all_named(base) && all_named(overlay)) {
    for (const json &element : overlay) {
      const auto same = std::find_if(base.begin(), base.end(),
                                     [&](const json &b) { return b["name"] == element["name"]; });
      const bool remove = element.contains("remove") && element["remove"] == true;
      if (same == base.end()) {
        if (!remove) base.push_back(element);
      } else if (remove) {
        base.erase(same);
      } else {
        merge(*same, element);
      }
    }
    return;
  }
  base = overlay;
}

constexpr std::size_t max_extends_depth = 16;

/// Resolves "extends" chains: the named base ("default" is the embedded scenario; anything else
/// a file path, relative to the extending file's folder), itself resolved, with this document
/// laid over it.
json resolve_extends(json doc, const std::string &source, const std::filesystem::path &folder,
                     std::vector<std::string> &chain) {
  if (!doc.is_object() || !doc.contains("extends")) return doc;
  const json base_name = doc["extends"];
  if (!base_name.is_string() || base_name.get<std::string>().empty())
    Reader(source).expected("/extends", "the name of a scenario file, or \"default\"", base_name);
  doc.erase("extends");
  const std::string name = base_name.get<std::string>();
  const bool embedded = name == "default";
  const std::filesystem::path path = embedded ? std::filesystem::path{} : folder / name;
  const std::string key =
      embedded ? "(embedded default)" : std::filesystem::weakly_canonical(path).string();
  if (std::find(chain.begin(), chain.end(), key) != chain.end() ||
      chain.size() >= max_extends_depth) {
    std::string cycle;
    for (const std::string &c : chain)
      cycle += c + " -> ";
    throw ScenarioError(source, "/extends",
                        fmt::format("expected a chain of extends without a cycle (at most {} "
                                    "deep), found {}{}",
                                    max_extends_depth, cycle, key));
  }
  chain.push_back(key);
  const std::string base_source = embedded ? "(embedded default)" : path.string();
  json base = embedded ? parse_json(default_scenario_text(), base_source)
                       : parse_json(read_text_file(path.string()), base_source);
  base =
      resolve_extends(std::move(base), base_source, embedded ? folder : path.parent_path(), chain);
  merge(base, doc);
  return base;
}

Scenario parse_in(std::string_view text, const std::string &source,
                  const std::filesystem::path &folder, const std::string &key) {
  std::vector<std::string> chain{key};
  return read_scenario(Reader(source),
                       resolve_extends(parse_json(text, source), source, folder, chain));
}

} // namespace

Scenario parse_scenario(std::string_view text, const std::string &source) {
  return parse_in(text, source, std::filesystem::current_path(), source);
}

Scenario load_scenario_file(const std::string &path) {
  const std::string text = read_text_file(path);
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return parse_in(text, path, std::filesystem::path(path).parent_path(),
                  ec ? path : canonical.string());
}

Scenario default_scenario() {
  return parse_in(default_scenario_text(), "(embedded default)", {}, "(embedded default)");
}

} // namespace supportsim::scenarios
