#include "scenarios/override.hpp"

#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace supportsim::scenarios {

using nlohmann::json;

namespace {

using detail::child_pointer;
using detail::describe;

/// A number in the document, with the segments of its dotted form (kept apart, since the
/// dotted text falls back to the pointer when a segment holds a dot).
struct NumericLeaf {
  ScenarioPath path;
  std::vector<std::string> segments;
};

bool dottable(const std::string &segment) {
  return !segment.empty() && segment.find('.') == std::string::npos;
}

std::string dotted_of(const std::vector<std::string> &segments, const std::string &pointer) {
  if (segments.empty() || !std::all_of(segments.begin(), segments.end(), dottable)) return pointer;
  std::string out;
  for (const std::string &s : segments)
    out += (out.empty() ? "" : ".") + s;
  return out;
}

/// The "name" of an array element, if it is an object with a string name.
const std::string *name_of(const json &element) {
  if (!element.is_object()) return nullptr;
  const auto it = element.find("name");
  return it != element.end() && it->is_string() ? it->get_ptr<const std::string *>() : nullptr;
}

/// How the dotted form spells element i of `array`: its name when that names it alone,
/// otherwise its index.
std::string element_segment(const json &array, std::size_t i) {
  if (const std::string *name = name_of(array[i])) {
    const auto same = std::count_if(array.begin(), array.end(), [&](const json &e) {
      const std::string *other = name_of(e);
      return other && *other == *name;
    });
    if (same == 1) return *name;
  }
  return std::to_string(i);
}

void collect(const json &v, std::vector<std::string> &segments, const std::string &pointer,
             std::vector<NumericLeaf> &out) {
  if (v.is_number()) {
    out.push_back({{pointer, dotted_of(segments, pointer)}, segments});
  } else if (v.is_object()) {
    for (const auto &item : v.items()) {
      if (segments.empty() && item.key() == "$schema") continue;
      segments.push_back(item.key());
      collect(item.value(), segments, child_pointer(pointer, item.key()), out);
      segments.pop_back();
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      segments.push_back(element_segment(v, i));
      collect(v[i], segments, fmt::format("{}/{}", pointer, i), out);
      segments.pop_back();
    }
  }
}

std::vector<NumericLeaf> numeric_leaves(const json &doc) {
  std::vector<NumericLeaf> out;
  std::vector<std::string> segments;
  collect(doc, segments, "", out);
  return out;
}

/// What one element of a section is called in messages: "agent group" for agent_groups.
std::string element_noun(const std::string &section) {
  static const std::map<std::string, std::string, std::less<>> nouns{
      {"agent_groups", "agent group"},
      {"sites", "site"},
      {"regions", "region"},
      {"shifts", "shift"},
      {"tiers", "tier"},
      {"triggers", "trigger"},
      {"incidents", "incident"},
      {"hiring_plan", "hire"},
      {"breaks", "break"},
      {"components", "component"},
      {"table", "table entry"},
      {"options", "option"}};
  const auto it = nouns.find(section);
  return it != nouns.end() ? it->second : fmt::format("element of {}", section);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The path's problem, with the nearest valid numeric path as a suggestion.
[[noreturn]] void path_error(const json &doc, const std::string &path, bool pointer_form,
                             const std::string &problem) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const NumericLeaf &leaf : numeric_leaves(doc)) {
    const std::string &candidate = pointer_form ? leaf.path.pointer : leaf.path.dotted;
    const std::size_t distance = detail::edit_distance(path, candidate, best_distance);
    if (distance < best_distance) best_distance = distance, best = candidate;
  }
  if (best.empty()) throw OverrideError(fmt::format("{}: {}", path, problem));
  throw OverrideError(fmt::format("{}: {}; did you mean {}?", path, problem, best));
}

/// The tokens of a JSON pointer ("/a/b~1c" -> a, b/c).
std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(token);
      token.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() &&
               (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      token += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      token += pointer[i];
    }
  }
  return tokens;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (true) {
    const std::size_t next = text.find(separator, at);
    parts.emplace_back(text.substr(at, next == std::string_view::npos ? next : next - at));
    if (next == std::string_view::npos) return parts;
    at = next + 1;
  }
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto same = [&](char a, char b) {
    if (!ignore_case) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && same(pattern[p], text[t])) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

namespace {

// --- Values -------------------------------------------------------------------------------------

/// A plain decimal as an integer count of 10^-decimals.
struct Decimal {
  std::int64_t units = 0;
  int decimals = 0;
  int whole_digits = 0;
};

/// Digits before and after the point, 15 in all at most, so that any two scale to a common
/// number of decimals without overflow.
constexpr int max_digits = 15;

std::optional<Decimal> read_decimal(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view body = text.substr(negative ? 1 : 0);
  const std::size_t point = body.find('.');
  const std::string_view whole = body.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : body.substr(point + 1);
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction)) ||
      whole.size() + fraction.size() > static_cast<std::size_t>(max_digits))
    return std::nullopt;
  Decimal d;
  for (char c : whole)
    d.units = d.units * 10 + (c - '0');
  for (char c : fraction)
    d.units = d.units * 10 + (c - '0');
  d.decimals = static_cast<int>(fraction.size());
  d.whole_digits = static_cast<int>(whole.size());
  if (negative) d.units = -d.units;
  return d;
}

std::int64_t power_of_ten(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i)
    p *= 10;
  return p;
}

Decimal read_number(std::string_view text, std::string_view spec) {
  if (const std::optional<Decimal> d = read_decimal(text)) return *d;
  throw OverrideError(fmt::format("expected a number such as 20, -3 or 0.25 (at most {} digits, "
                                  "no exponent), found \"{}\" in \"{}\"",
                                  max_digits, text, spec));
}

/// `units` 10^-decimals as JSON: an integer when whole, else the double nearest the decimal.
json number_json(std::int64_t units, int decimals) {
  const std::int64_t scale = power_of_ten(decimals);
  if (units % scale == 0) return json(units / scale);
  const std::uint64_t magnitude =
      units < 0 ? static_cast<std::uint64_t>(-units) : static_cast<std::uint64_t>(units);
  std::string fraction =
      fmt::format("{:0{}}", magnitude % static_cast<std::uint64_t>(scale), decimals);
  const std::string text = fmt::format("{}{}.{}", units < 0 ? "-" : "",
                                       magnitude / static_cast<std::uint64_t>(scale), fraction);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return json(value);
}

std::string short_label(const json &base, const ScenarioPath &path,
                        const std::vector<std::string> &segments) {
  // "agent_groups.austin-l1.headcount" reads as "austin-l1.headcount": the element's name
  // says what it is.
  if (path.dotted != path.pointer && segments.size() >= 3) {
    const auto section = base.find(segments[0]);
    if (section != base.end() && section->is_array() &&
        std::any_of(section->begin(), section->end(), [&](const json &e) {
          const std::string *name = name_of(e);
          return name && *name == segments[1];
        })) {
      std::string out;
      for (std::size_t i = 1; i < segments.size(); ++i)
        out += (i > 1 ? "." : "") + segments[i];
      return out;
    }
  }
  return path.dotted;
}

} // namespace

ScenarioPath resolve_path(const json &doc, std::string_view text) {
  const std::string path(text);
  const bool pointer_form = !path.empty() && path[0] == '/';
  if (path.empty())
    throw OverrideError("expected a path such as agent_groups.austin-l1.headcount or "
                        "/agent_groups/0/headcount, found nothing");
  const std::vector<std::string> tokens = pointer_form ? pointer_tokens(path) : split(path, '.');
  const json *at = &doc;
  std::string pointer;
  std::vector<std::string> segments;
  std::string section; // the key of the array `at` is, for messages
  auto here = [&] {
    return segments.empty() ? std::string("the scenario") : dotted_of(segments, pointer);
  };
  for (const std::string &token : tokens) {
    if (!pointer_form && token.empty())
      path_error(doc, path, pointer_form,
                 "expected a key, a name or an index between the dots, found nothing");
    if (at->is_object()) {
      const auto it = at->find(token);
      if (it == at->end() || (segments.empty() && token == "$schema"))
        path_error(doc, path, pointer_form, fmt::format("no key \"{}\" in {}", token, here()));
      section = token;
      segments.push_back(token);
      pointer = child_pointer(pointer, token);
      at = &*it;
    } else if (at->is_array()) {
      std::optional<std::size_t> index;
      const bool named =
          std::any_of(at->begin(), at->end(), [](const json &e) { return name_of(e) != nullptr; });
      if (!pointer_form)
        for (std::size_t i = 0; i < at->size() && !index; ++i)
          if (const std::string *name = name_of((*at)[i]); name && *name == token) index = i;
      if (!index && all_digits(token)) {
        std::size_t i = 0;
        const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), i);
        if (error == std::errc{} && end == token.data() + token.size() && i < at->size())
          index = i;
        else
          path_error(doc, path, pointer_form,
                     fmt::format("{} has {} element{}{}, found index {}", here(), at->size(),
                                 at->size() == 1 ? "" : "s",
                                 at->empty() ? "" : fmt::format(" (0 to {})", at->size() - 1),
                                 token));
      }
      if (!index)
        path_error(doc, path, pointer_form,
                   named && !pointer_form
                       ? fmt::format("no {} named \"{}\"", element_noun(section), token)
                       : fmt::format("expected an index into {} (0 to {}), found \"{}\"", here(),
                                     at->empty() ? 0 : at->size() - 1, token));
      segments.push_back(element_segment(*at, *index));
      pointer = fmt::format("{}/{}", pointer, *index);
      at = &(*at)[*index];
    } else {
      path_error(doc, path, pointer_form,
                 fmt::format("{} is {}, with nothing inside it; found \"{}\" after it", here(),
                             describe(*at), token));
    }
  }
  if (!at->is_number())
    path_error(doc, path, pointer_form,
               fmt::format("expected a number at {}, found {}", here(), describe(*at)));
  return {pointer, dotted_of(segments, pointer)};
}

std::vector<ScenarioPath> numeric_paths(const json &doc) {
  std::vector<ScenarioPath> out;
  for (NumericLeaf &leaf : numeric_leaves(doc))
    out.push_back(std::move(leaf.path));
  return out;
}

std::string region_tier(const models::OrganisationConfig &organisation,
                        const models::AgentGroupConfig &group) {
  return organisation.regions[organisation.sites[group.site].region].name + "-" +
         organisation.tiers[group.tier].name;
}

std::vector<std::size_t> agent_groups_matching(const models::OrganisationConfig &organisation,
                                               std::string_view pattern) {
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < organisation.agent_groups.size(); ++g) {
    const models::AgentGroupConfig &group = organisation.agent_groups[g];
    if (glob_match(pattern, group.name, true) ||
        glob_match(pattern, region_tier(organisation, group), true))
      out.push_back(g);
  }
  return out;
}

std::optional<GroupSetPath> resolve_group_set(const json &doc, const std::string &source,
                                              std::string_view path) {
  // Exactly "agent_groups.SET.LEAF", SET no group's name.
  const std::size_t first = path.find('.');
  const std::size_t last = path.rfind('.');
  if (path.empty() || path[0] == '/' || first == std::string_view::npos || first == last ||
      path.substr(0, first) != "agent_groups")
    return std::nullopt;
  const std::string set(path.substr(first + 1, last - first - 1));
  const std::string_view leaf = path.substr(last + 1);
  const auto groups = doc.find("agent_groups");
  if (set.empty() || groups == doc.end() || !groups->is_array()) return std::nullopt;
  for (const json &group : *groups)
    if (const std::string *name = name_of(group); name && *name == set) return std::nullopt;

  const Scenario scenario = parse_scenario_document(doc, source);
  const models::OrganisationConfig &org = scenario.organisation;
  const std::vector<std::size_t> matched = agent_groups_matching(org, set);
  if (matched.empty()) return std::nullopt;
  if (leaf != "headcount")
    throw OverrideError(fmt::format(
        "{}: expected headcount after a set of agent groups ({} matches {} group{}), found \"{}\"; "
        "a set varies its total headcount, and any other number is varied group by group",
        path, set, matched.size(), matched.size() == 1 ? "" : "s", leaf));
  GroupSetPath out;
  out.dotted = std::string(path);
  for (std::size_t i = 0; i < groups->size(); ++i) {
    const std::string *name = name_of((*groups)[i]);
    if (!name || std::none_of(matched.begin(), matched.end(),
                              [&](std::size_t g) { return org.agent_groups[g].name == *name; }))
      continue;
    const std::string pointer = fmt::format("/agent_groups/{}/headcount", i);
    const auto headcount = (*groups)[i].find("headcount");
    if (headcount == (*groups)[i].end() || !headcount->is_number_integer())
      throw OverrideError(
          fmt::format("{}: expected a whole headcount at {}, found {}", path, pointer,
                      headcount == (*groups)[i].end() ? "none" : describe(*headcount)));
    out.members.push_back(resolve_path(doc, pointer));
    out.base.push_back(headcount->get<std::int64_t>());
  }
  return out;
}

std::vector<std::int64_t> split_headcount(std::int64_t total,
                                          const std::vector<std::int64_t> &weights) {
  std::vector<std::int64_t> w = weights;
  std::int64_t sum = 0;
  for (const std::int64_t x : w)
    sum += x;
  if (sum == 0) std::fill(w.begin(), w.end(), 1), sum = static_cast<std::int64_t>(w.size());
  // Whole shares first, then one more to the largest remainders (the earlier group on a tie).
  std::vector<std::int64_t> out(w.size());
  std::vector<std::int64_t> remainder(w.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::int64_t exact = total * w[i];
    out[i] = static_cast<std::int64_t>(exact / sum);
    remainder[i] = exact % sum;
    given += out[i];
  }
  std::vector<std::size_t> order(w.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < total; ++k, ++given)
    ++out[order[k]];
  return out;
}

std::vector<ScenarioPath> numeric_paths_matching(const json &doc, std::string_view pattern) {
  const std::vector<std::string> parts = split(pattern, '.');
  std::vector<ScenarioPath> out;
  for (NumericLeaf &leaf : numeric_leaves(doc)) {
    if (leaf.segments.size() != parts.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < parts.size() && match; ++i)
      match = glob_match(parts[i], leaf.segments[i]);
    if (match) out.push_back(std::move(leaf.path));
  }
  return out;
}

std::vector<json> parse_values(std::string_view spec) {
  if (spec.empty())
    throw OverrideError("expected a range such as 20..40/5 or a list such as 20,24,30, found "
                        "nothing");
  std::vector<json> values;
  if (const std::size_t dots = spec.find(".."); dots != std::string_view::npos) {
    const std::string_view start_text = spec.substr(0, dots);
    std::string_view end_text = spec.substr(dots + 2), step_text = "1";
    if (const std::size_t slash = end_text.find('/'); slash != std::string_view::npos) {
      step_text = end_text.substr(slash + 1);
      end_text = end_text.substr(0, slash);
    }
    Decimal start = read_number(start_text, spec), end = read_number(end_text, spec),
            step = read_number(step_text, spec);
    const int decimals = std::max({start.decimals, end.decimals, step.decimals});
    for (Decimal *d : {&start, &end, &step}) {
      // At a common number of decimals every bound must still fit in 64 bits.
      if (d->whole_digits + decimals > 17)
        throw OverrideError(fmt::format("expected numbers of at most 17 digits once written "
                                        "with the same decimals, found \"{}\"",
                                        spec));
      d->units *= power_of_ten(decimals - d->decimals);
    }
    if (step.units <= 0)
      throw OverrideError(
          fmt::format("expected a step above 0, found {} in \"{}\"", step_text, spec));
    if (start.units > end.units)
      throw OverrideError(
          fmt::format("expected a range from low to high, found \"{}\": {} is above {}", spec,
                      start_text, end_text));
    const std::int64_t count = (end.units - start.units) / step.units + 1;
    if (count > static_cast<std::int64_t>(max_vary_values))
      throw OverrideError(fmt::format("expected at most {} values, found {} in \"{}\"",
                                      max_vary_values, count, spec));
    for (std::int64_t k = 0; k < count; ++k)
      values.push_back(number_json(start.units + k * step.units, decimals));
    return values;
  }
  const std::vector<std::string> items = split(spec, ',');
  if (items.size() > max_vary_values)
    throw OverrideError(fmt::format("expected at most {} values, found {} in \"{}\"",
                                    max_vary_values, items.size(), spec));
  for (const std::string &item : items) {
    if (item.empty())
      throw OverrideError(fmt::format(
          "expected a number between every two commas, found an empty item in \"{}\"", spec));
    const Decimal d = read_number(item, spec);
    // Decimals of at most 15 digits are different doubles when they are different numbers.
    json value = number_json(d.units, d.decimals);
    if (std::find(values.begin(), values.end(), value) != values.end())
      throw OverrideError(
          fmt::format("expected different values, found {} twice in \"{}\"", item, spec));
    values.push_back(std::move(value));
  }
  return values;
}

std::vector<ScenarioOption> load_options_file(const std::string &path) {
  const json doc = read_json_file(path, "an options file (JSON)");
  auto fail = [&](const std::string &pointer, const std::string &problem) {
    throw ScenarioError(path, pointer, problem);
  };
  auto check_keys = [&](const json &object, const std::string &pointer,
                        const std::vector<std::string> &allowed) {
    for (const auto &item : object.items())
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        const std::string best = detail::did_you_mean(item.key(), allowed);
        fail(child_pointer(pointer, item.key()),
             best.empty()
                 ? fmt::format("unknown key \"{}\"", item.key())
                 : fmt::format("unknown key \"{}\"; did you mean \"{}\"?", item.key(), best));
      }
  };
  if (!doc.is_object())
    fail("/", fmt::format("expected an object {{\"options\": [...]}}, found {}", describe(doc)));
  check_keys(doc, "", {"options", "description"});
  if (!doc.contains("options"))
    fail("/", "missing required key \"options\" (a list of {\"name\": ..., \"override\": ...})");
  const json &list = doc["options"];
  if (!list.is_array() || list.empty())
    fail("/options", fmt::format("expected a list of at least one option, found {}",
                                 list.is_array() ? "an empty list" : describe(list)));
  if (list.size() > max_vary_values)
    fail("/options", fmt::format("expected at most {} options (the most a sweep runs), found {}",
                                 max_vary_values, list.size()));
  std::vector<ScenarioOption> options;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = fmt::format("/options/{}", i);
    const json &v = list[i];
    if (!v.is_object())
      fail(p,
           fmt::format("expected an object with \"name\" and \"override\", found {}", describe(v)));
    check_keys(v, p, {"name", "override", "description"});
    const auto name = v.find("name");
    if (name == v.end()) fail(p, "missing required key \"name\"");
    if (!name->is_string() || name->get<std::string>().empty())
      fail(p + "/name", fmt::format("expected a non-empty string, found {}", describe(*name)));
    const std::string n = name->get<std::string>();
    if (n == "baseline")
      fail(p + "/name", "expected a name other than \"baseline\", which is the sweep's option 0 "
                        "(the scenario unchanged)");
    if (!names.insert(n).second)
      fail(p + "/name", fmt::format("expected a unique option name, found \"{}\" again", n));
    const auto override_block = v.find("override");
    if (override_block == v.end()) fail(p, "missing required key \"override\"");
    if (!override_block->is_object())
      fail(p + "/override", fmt::format("expected an object (a partial scenario), found {}",
                                        describe(*override_block)));
    if (override_block->contains("extends"))
      fail(p + "/override/extends",
           "expected no \"extends\": an override is laid over the sweep's scenario");
    for (const char *key : {"seed", "replications"})
      if (override_block->contains(key))
        fail(child_pointer(p + "/override", key),
             fmt::format("expected no \"{}\": every option of a sweep runs with the same seed "
                         "and replications (common random numbers); give --seed or "
                         "--replications for the whole sweep",
                         key));
    options.push_back({n, *override_block, {}});
  }
  return options;
}

namespace {

/// One --vary: the value (or group set) it varies, its values and its label in option names.
struct Axis {
  ScenarioPath path;               // a group set's: its dotted text, no pointer
  std::optional<GroupSetPath> set; // for a group set: its groups
  std::string volume_region;       // for "regions.NAME.volume_factor": NAME
  std::vector<std::string> segments;
  std::vector<json> values;
  std::string label;
  std::vector<std::string> pointers() const {
    if (!volume_region.empty()) return {"volume_factor:" + volume_region};
    if (!set) return {path.pointer};
    std::vector<std::string> out;
    for (const ScenarioPath &m : set->members)
      out.push_back(m.pointer);
    return out;
  }
};

/// Resolves a --vary's PATH to a number of the document or to a group set, else throws.
void resolve_axis_path(Axis &axis, const SweepPlan &plan, const std::string &path_text) {
  // A region's volume factor is no number of the document: each option states it in its
  // overlay, and the merge recomputes cases_per_month and the shares (as a what-if's would).
  constexpr std::string_view volume_prefix = "regions.", volume_suffix = ".volume_factor";
  if (path_text.starts_with(volume_prefix) && path_text.ends_with(volume_suffix) &&
      path_text.size() > volume_prefix.size() + volume_suffix.size()) {
    const std::string name = path_text.substr(
        volume_prefix.size(), path_text.size() - volume_prefix.size() - volume_suffix.size());
    std::vector<std::string> names;
    if (plan.base.contains("regions") && plan.base["regions"].is_array())
      for (const json &r : plan.base["regions"])
        if (r.is_object() && r.contains("name") && r["name"].is_string())
          names.push_back(r["name"].get<std::string>());
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string list;
      for (const std::string &n : names)
        list += fmt::format("{}{}", list.empty() ? "" : ", ", n);
      throw OverrideError(fmt::format("--vary {}: no region named \"{}\" in the scenario; the "
                                      "regions: {}",
                                      path_text, name, list.empty() ? "none stated" : list));
    }
    axis.volume_region = name;
    axis.path = {"", path_text};
    return;
  }
  try {
    axis.path = resolve_path(plan.base, path_text);
  } catch (const OverrideError &e) {
    // Not a number of the document: perhaps several groups' headcount ("agent_groups.EMEA-L1
    // .headcount"); if not that either, the path's own error, with its nearest valid path.
    try {
      axis.set = resolve_group_set(plan.base, plan.source, path_text);
    } catch (const OverrideError &set_error) {
      throw OverrideError(fmt::format("--vary {}", set_error.what()));
    }
    if (!axis.set) {
      const bool group_headcount =
          path_text.starts_with("agent_groups.") && path_text.ends_with(".headcount");
      throw OverrideError(fmt::format("--vary {}{}", e.what(),
                                      group_headcount
                                          ? " (several groups' total headcount: a REGION-TIER "
                                            "label such as EMEA-L1, or a pattern with *)"
                                          : ""));
    }
    axis.path = {"", axis.set->dotted};
  }
}

/// Throws if the axis varies the seed, the replications or a value an earlier axis varies.
void check_axis_path(const Axis &axis, const std::vector<Axis> &axes, const SweepPlan &plan,
                     const std::string &text, const std::string &path_text) {
  if (axis.path.pointer == "/seed" || axis.path.pointer == "/replications")
    throw OverrideError(fmt::format(
        "--vary {}: expected a value of the organisation; every option of a sweep runs with the "
        "same seed and replications (common random numbers): give --seed or --replications",
        path_text));
  for (const Axis &other : axes)
    for (const std::string &mine : axis.pointers())
      for (const std::string &theirs : other.pointers())
        if (mine == theirs)
          throw OverrideError(fmt::format(
              "--vary {}: {} is varied twice", text,
              axis.volume_region.empty() ? resolve_path(plan.base, mine).dotted : path_text));
  // A volume factor recomputes cases_per_month and every demand_share: varying them as well
  // would set what the factor sets.
  const auto recomputed = [](const Axis &a) {
    return a.path.pointer == "/demand/cases_per_month" ||
           (a.path.pointer.starts_with("/regions/") && a.path.pointer.ends_with("/demand_share"));
  };
  for (const Axis &other : axes)
    if ((!axis.volume_region.empty() && recomputed(other)) ||
        (!other.volume_region.empty() && recomputed(axis)))
      throw OverrideError(fmt::format("--vary {}: expected a region's volume_factor or "
                                      "cases_per_month and demand_share, not both (the factor "
                                      "recomputes them)",
                                      text));
}

/// Reads the axis's values from SPEC (a group set's as total headcounts) and sets its label.
void read_axis_values(Axis &axis, const SweepPlan &plan, const std::string &text,
                      const std::string &path_text, std::string_view spec) {
  try {
    axis.values = parse_values(spec);
  } catch (const OverrideError &e) {
    throw OverrideError(fmt::format("--vary {}: {}", text, e.what()));
  }
  if (axis.set) {
    for (const json &v : axis.values)
      if (!v.is_number_integer() || v.get<std::int64_t>() < 0 ||
          v.get<std::int64_t>() > max_group_set_headcount)
        throw OverrideError(
            fmt::format("--vary {}: expected a total headcount, a whole number from 0 to {}, "
                        "for the {} group{} of {}; found {}",
                        text, max_group_set_headcount, axis.set->members.size(),
                        axis.set->members.size() == 1 ? "" : "s", path_text, v.dump()));
    axis.label = path_text.substr(path_text.find('.') + 1);
  } else if (!axis.volume_region.empty()) {
    for (const json &v : axis.values)
      if (v.get<double>() < 0 || v.get<double>() > 1000)
        throw OverrideError(
            fmt::format("--vary {}: expected factors from 0 to 1000, found {}", text, v.dump()));
    axis.label = path_text.substr(path_text.find('.') + 1);
  } else {
    for (const NumericLeaf &leaf : numeric_leaves(plan.base))
      if (leaf.path.pointer == axis.path.pointer) axis.segments = leaf.segments;
    axis.label = short_label(plan.base, axis.path, axis.segments);
  }
}

/// Reads one --vary PATH=SPEC into an axis, checked against the axes read before it.
Axis read_axis(const SweepPlan &plan, const std::string &text, const std::vector<Axis> &axes) {
  const std::size_t equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0)
    throw OverrideError(fmt::format(
        "--vary {}: expected PATH=SPEC, such as agent_groups.austin-l1.headcount=20..40/5", text));
  const std::string path_text = text.substr(0, equals);
  Axis axis;
  resolve_axis_path(axis, plan, path_text);
  check_axis_path(axis, axes, plan, text, path_text);
  read_axis_values(axis, plan, text, path_text, std::string_view(text).substr(equals + 1));
  return axis;
}

/// Short labels only while they tell the paths apart; else every axis is labelled by its path.
void disambiguate_labels(std::vector<Axis> &axes) {
  for (std::size_t i = 0; i < axes.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (axes[i].label == axes[j].label)
        for (Axis &a : axes)
          a.label = a.path.dotted;
}

/// Adds one option per point of the axes' grid, or throws if the grid is too large.
void add_grid_options(SweepPlan &plan, const std::vector<Axis> &axes) {
  std::size_t points = 1;
  for (const Axis &a : axes) {
    if (points > max_vary_values / a.values.size())
      throw OverrideError(fmt::format("--vary: expected a grid of at most {} options, found more",
                                      max_vary_values));
    points *= a.values.size();
  }
  // An odometer: the last --vary turns fastest, so the first varies slowest.
  std::vector<std::size_t> at(axes.size(), 0);
  for (std::size_t n = 0; n < points; ++n) {
    ScenarioOption option;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      const json &value = axes[k].values[at[k]];
      option.name += fmt::format("{}{}={}", k ? "," : "", axes[k].label, value.dump());
      if (!axes[k].volume_region.empty()) {
        if (!option.overlay.contains("regions")) option.overlay["regions"] = json::array();
        option.overlay["regions"].push_back(
            json{{"name", axes[k].volume_region}, {"volume_factor", value}});
        continue;
      }
      if (!axes[k].set) {
        option.edits.emplace_back(axes[k].path.pointer, value);
        continue;
      }
      const GroupSetPath &set = *axes[k].set;
      const std::vector<std::int64_t> split = split_headcount(value.get<std::int64_t>(), set.base);
      for (std::size_t m = 0; m < set.members.size(); ++m)
        option.edits.emplace_back(set.members[m].pointer, split[m]);
    }
    plan.options.push_back(std::move(option));
    for (std::size_t k = axes.size(); k-- > 0;) {
      if (++at[k] < axes[k].values.size()) break;
      at[k] = 0;
    }
  }
}

/// Throws if two options of the plan have the same name.
void check_unique_names(const SweepPlan &plan) {
  std::set<std::string> names;
  for (const ScenarioOption &o : plan.options)
    if (!names.insert(o.name).second)
      throw OverrideError(fmt::format(
          "option \"{}\" is named twice; every option of a sweep needs its own name", o.name));
}

} // namespace

SweepPlan plan_sweep(std::string source, json base, const std::vector<std::string> &vary,
                     std::vector<ScenarioOption> listed) {
  SweepPlan plan;
  plan.source = std::move(source);
  plan.base = std::move(base);
  plan.options.push_back({"baseline", json::object(), {}});
  for (ScenarioOption &o : listed)
    plan.options.push_back(std::move(o));
  // An override naming what the base does not have fails now, before anything runs.
  for (std::size_t i = 1; i < plan.options.size(); ++i)
    (void)option_document(plan, i);
  std::vector<Axis> axes;
  for (const std::string &text : vary) {
    Axis axis = read_axis(plan, text, axes);
    plan.varied.push_back(axis.path.dotted);
    axes.push_back(std::move(axis));
  }
  disambiguate_labels(axes);
  if (!axes.empty()) add_grid_options(plan, axes);
  if (plan.options.size() - 1 > max_vary_values)
    throw OverrideError(fmt::format("expected a sweep of at most {} options besides the baseline, "
                                    "found {} (the options file's and the --vary grid's)",
                                    max_vary_values, plan.options.size() - 1));
  check_unique_names(plan);
  return plan;
}

json option_document(const SweepPlan &plan, std::size_t i) {
  const ScenarioOption &option = plan.options.at(i);
  json doc = plan.base;
  merge_scenario_documents(doc, option.overlay, fmt::format("option \"{}\"", option.name),
                           "/override");
  for (const auto &[pointer, value] : option.edits) {
    const json::json_pointer at(pointer);
    if (!doc.contains(at))
      throw ScenarioError(fmt::format("option \"{}\"", option.name), pointer,
                          "expected a value to set here, found none");
    doc[at] = value;
  }
  return doc;
}

Scenario option_scenario(const SweepPlan &plan, std::size_t i) {
  const json doc = option_document(plan, i);
  try {
    return parse_scenario_document(doc, plan.source);
  } catch (const ScenarioError &e) {
    throw ScenarioError(fmt::format("option \"{}\": {}", plan.options[i].name, e.file()),
                        e.pointer(), e.problem());
  }
}

SettingsTable settings_table(const SweepPlan &plan) {
  auto values_of = [](const json &doc) {
    std::map<std::string, json> values;
    for (const NumericLeaf &leaf : numeric_leaves(doc))
      values.emplace(leaf.path.dotted, doc.at(json::json_pointer(leaf.path.pointer)));
    return values;
  };
  const std::map<std::string, json> base = values_of(plan.base);
  SettingsTable table;
  table.paths = plan.varied;
  std::vector<std::map<std::string, json>> options;
  for (std::size_t i = 0; i < plan.options.size(); ++i) {
    const json doc = option_document(plan, i);
    options.push_back(values_of(doc));
    auto add = [&](const std::string &path) {
      if (std::find(table.paths.begin(), table.paths.end(), path) == table.paths.end())
        table.paths.push_back(path);
    };
    // In document order, so the columns come out in the order of the scenario: the numbers
    // the option changes or adds, then those it removes.
    for (const NumericLeaf &leaf : numeric_leaves(doc)) {
      const auto b = base.find(leaf.path.dotted);
      if (b == base.end() || b->second != options.back().at(leaf.path.dotted))
        add(leaf.path.dotted);
    }
    for (const NumericLeaf &leaf : numeric_leaves(plan.base))
      if (!options.back().contains(leaf.path.dotted)) add(leaf.path.dotted);
  }
  // A group set's column: the sum of its groups' headcounts.
  std::map<std::string, GroupSetPath> sets;
  for (const std::string &path : plan.varied)
    if (!base.contains(path))
      if (auto set = resolve_group_set(plan.base, plan.source, path)) sets.emplace(path, *set);
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto &values = options[i];
    std::vector<json> row;
    for (const std::string &path : table.paths) {
      // A region's volume factor: the option's own (1, the base's volume, when it states none).
      if (path.starts_with("regions.") && path.ends_with(".volume_factor") &&
          !base.contains(path)) {
        const std::string name = path.substr(8, path.size() - 8 - 14);
        json factor = 1;
        const json &overlay = plan.options[i].overlay;
        if (overlay.contains("regions") && overlay["regions"].is_array())
          for (const json &r : overlay["regions"])
            if (r.is_object() && r.value("name", "") == name && r.contains("volume_factor"))
              factor = r["volume_factor"];
        row.push_back(factor);
        continue;
      }
      if (const auto set = sets.find(path); set != sets.end()) {
        std::int64_t sum = 0;
        bool all = true;
        for (const ScenarioPath &member : set->second.members) {
          const auto it = values.find(member.dotted);
          all = all && it != values.end() && it->second.is_number_integer();
          if (all) sum += it->second.get<std::int64_t>();
        }
        row.push_back(all ? json(sum) : json(nullptr));
        continue;
      }
      const auto it = values.find(path);
      row.push_back(it == values.end() ? json(nullptr) : it->second);
    }
    table.values.push_back(std::move(row));
  }
  return table;
}

json plan_to_json(const SweepPlan &plan) {
  json options = json::array();
  for (const ScenarioOption &o : plan.options) {
    json edits = json::array();
    for (const auto &[pointer, value] : o.edits)
      edits.push_back(json::array({pointer, value}));
    options.push_back({{"name", o.name}, {"overlay", o.overlay}, {"edits", std::move(edits)}});
  }
  return {{"source", plan.source},
          {"base", plan.base},
          {"varied", plan.varied},
          {"options", std::move(options)}};
}

SweepPlan plan_from_json(const json &doc, const std::string &file, const std::string &pointer) {
  auto fail = [&](const std::string &at, const std::string &problem) {
    throw ScenarioError(file, pointer + at, problem);
  };
  auto member = [&](const json &object, const std::string &at, const char *key,
                    json::value_t type) -> const json & {
    if (!object.is_object())
      fail(at, fmt::format("expected an object, found {}", describe(object)));
    const auto it = object.find(key);
    if (it == object.end()) fail(at, fmt::format("missing required key \"{}\"", key));
    if (it->type() != type)
      fail(child_pointer(at, key), fmt::format("expected {}, found {}",
                                               type == json::value_t::string  ? "a string"
                                               : type == json::value_t::array ? "an array"
                                                                              : "an object",
                                               describe(*it)));
    return *it;
  };
  SweepPlan plan;
  plan.source = member(doc, "", "source", json::value_t::string).get<std::string>();
  plan.base = member(doc, "", "base", json::value_t::object);
  for (const json &v : member(doc, "", "varied", json::value_t::array)) {
    if (!v.is_string()) fail("/varied", "expected an array of strings");
    plan.varied.push_back(v.get<std::string>());
  }
  const json &options = member(doc, "", "options", json::value_t::array);
  for (std::size_t i = 0; i < options.size(); ++i) {
    const std::string at = fmt::format("/options/{}", i);
    ScenarioOption o;
    o.name = member(options[i], at, "name", json::value_t::string).get<std::string>();
    o.overlay = member(options[i], at, "overlay", json::value_t::object);
    for (const json &edit : member(options[i], at, "edits", json::value_t::array)) {
      if (!edit.is_array() || edit.size() != 2 || !edit[0].is_string() || !edit[1].is_number())
        fail(at + "/edits", "expected [pointer, number] pairs");
      o.edits.emplace_back(edit[0].get<std::string>(), edit[1]);
    }
    plan.options.push_back(std::move(o));
  }
  if (plan.options.empty()) fail("/options", "expected at least the baseline, found none");
  return plan;
}

} // namespace supportsim::scenarios
