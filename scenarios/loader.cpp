#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
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

using detail::describe;

/// Reads a document that has passed the schema (so types, ranges and keys are right) and makes
/// the checks a schema cannot: sums, orderings, uniqueness. Complaints name the place.
class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string &pointer, const std::string &problem) const {
    throw ScenarioError(file_, pointer.empty() ? "/" : pointer, problem);
  }
  const std::string &file() const { return file_; }

private:
  std::string file_;
};

const json *find(const json &object, const char *key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

sim::Distribution read_distribution(const Reader &r, const json &v, const std::string &p) {
  const std::string type = v["type"].get<std::string>();
  auto num = [&](const char *key) { return v[key].get<double>(); };
  try {
    if (type == "constant") return sim::Distribution::constant(num("value"));
    if (type == "exponential") return sim::Distribution::exponential(num("mean"));
    if (type == "lognormal") return sim::Distribution::lognormal(num("mean"), num("cv"));
    if (type == "gamma") return sim::Distribution::gamma(num("mean"), num("cv"));
    if (type == "weibull") return sim::Distribution::weibull(num("shape"), num("scale"));
    if (type == "uniform") {
      if (num("max") <= num("min"))
        r.fail(p + "/max",
               fmt::format("expected max > min ({:g}), found {:g}", num("min"), num("max")));
      return sim::Distribution::uniform(num("min"), num("max"));
    }
    if (type == "empirical")
      return sim::Distribution::empirical(v["values"].get<std::vector<double>>());
    // mixture: the only type left, the schema allows no other
    const json &parts = v["components"];
    std::vector<double> weights;
    std::vector<sim::Distribution> components;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      weights.push_back(parts[i]["weight"].get<double>());
      components.push_back(read_distribution(r, parts[i]["distribution"],
                                             fmt::format("{}/components/{}/distribution", p, i)));
    }
    if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; }))
      r.fail(p + "/components", "expected at least one weight > 0, found all zero");
    return sim::Distribution::mixture(std::move(weights), std::move(components));
  } catch (const std::invalid_argument &e) {
    r.fail(p, e.what()); // not reached for a document the schema accepted
  }
}

models::PerPriority<double> read_per_priority(const json &v,
                                              const models::PerPriority<double> &defaults) {
  models::PerPriority<double> out = defaults;
  for (std::size_t i = 0; i < models::priority_count; ++i) {
    const std::string key(models::priority_names[i]);
    if (const json *x = find(v, key.c_str())) out[i] = x->get<double>();
  }
  return out;
}

models::QueueConfig read_queue(const Reader &r, const json &v, const std::string &p) {
  models::QueueConfig q;
  q.name = v["name"].get<std::string>();
  q.agents = v["agents"].get<std::uint32_t>();
  q.arrivals_per_hour = v["arrivals_per_hour"].get<double>();
  if (const json *mix = find(v, "priority_mix")) {
    q.priority_mix = read_per_priority(*mix, {0, 0, 0, 0});
    double sum = 0;
    for (double x : q.priority_mix)
      sum += x;
    if (std::fabs(sum - 1.0) > 1e-6)
      r.fail(p + "/priority_mix", fmt::format("expected shares summing to 1, found {:g}", sum));
  }
  q.handle_minutes = read_distribution(r, v["handle_minutes"], p + "/handle_minutes");
  if (const json *patience = find(v, "patience_minutes"))
    q.patience_minutes = read_distribution(r, *patience, p + "/patience_minutes");
  if (q.agents == 0 && q.arrivals_per_hour > 0)
    r.fail(p + "/agents", fmt::format("expected at least 1 agent for a queue with demand "
                                      "({:g} cases/hour), found 0",
                                      q.arrivals_per_hour));
  return q;
}

Scenario read_scenario(const Reader &r, const json &doc) {
  detail::validate_against_schema(doc, r.file());
  Scenario s;
  s.source = r.file();
  s.name = doc["name"].get<std::string>();
  if (const json *d = find(doc, "description")) s.description = d->get<std::string>();
  if (const json *x = find(doc, "start")) {
    try {
      s.start = sim::parse_utc(x->get<std::string>());
    } catch (const std::invalid_argument &e) {
      r.fail("/start", e.what());
    }
  }
  if (const json *x = find(doc, "seed")) s.seed = x->get<std::uint64_t>();
  if (const json *x = find(doc, "replications")) s.replications = x->get<std::uint32_t>();
  const double horizon = doc["horizon_days"].get<double>();
  // At least an hour: anything shorter measures nothing and is a unit mistake.
  if (horizon < 1.0 / 24)
    r.fail("/horizon_days",
           fmt::format("expected at least 1/24 day (one hour), found {:g}", horizon));
  const double warmup = doc.value("warmup_days", 0.0);
  if (horizon + warmup > max_horizon_days)
    r.fail("/warmup_days", fmt::format("expected horizon_days + warmup_days <= {:g}, found {:g}",
                                       max_horizon_days, horizon + warmup));
  s.warmup = sim::Duration::from_minutes(warmup * 24 * 60);
  s.organisation.horizon = s.warmup + sim::Duration::from_minutes(horizon * 24 * 60);

  if (const json *sla = find(doc, "sla")) {
    if (const json *fr = find(*sla, "first_response_minutes")) {
      models::PerPriority<double> defaults{};
      for (std::size_t i = 0; i < models::priority_count; ++i)
        defaults[i] = s.sla.first_response[i].to_minutes();
      const auto minutes = read_per_priority(*fr, defaults);
      for (std::size_t i = 0; i < models::priority_count; ++i)
        s.sla.first_response[i] = sim::Duration::from_minutes(minutes[i]);
    }
    if (const json *t = find(*sla, "targets"))
      s.sla.attainment_target = read_per_priority(*t, s.sla.attainment_target);
  }

  const json &queues = doc["queues"];
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
    Reader(source).fail(
        "/extends", fmt::format("expected the name of a scenario file, or \"default\", found {}",
                                describe(base_name)));
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
