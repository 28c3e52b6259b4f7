#include "scenarios/changes.hpp"

#include "scenarios/scenario.hpp"
#include "scenarios/schema_validation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>

namespace supportsim::scenarios::detail {

using nlohmann::json;

namespace {

// A factor above this is a unit mistake rather than a what-if (and keeps every product finite).
constexpr double max_factor = 1000;
// Whole numbers stay whole below this; above it a double no longer holds every integer.
constexpr double max_exact_integer = 9007199254740992.0; // 2^53

[[noreturn]] void fail(const std::string &source, const std::string &pointer,
                       const std::string &problem) {
  throw ScenarioError(source, pointer.empty() ? "/" : pointer, problem);
}

bool all_named(const json &array) {
  for (const json &e : array)
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string()) return false;
  return true;
}

json scaled(const json &value, double factor, const std::string &source, const std::string &pointer,
            std::size_t depth = 0);

// Deeper than this, a value to multiply is a hostile file, not a scenario (the schema allows 64).
constexpr std::size_t max_scaled_depth = 64;

/// Whether the key at `pointer` is a whole number in the schema ("type": "integer").
bool whole_number_key(const std::string &pointer) {
  const std::string key = pointer.substr(pointer.rfind('/') + 1);
  for (const char *whole : {"agents", "chat_concurrency", "headcount", "hires", "minutes",
                            "replications", "rotation_weeks", "seed"})
    if (key == whole) return true;
  return false;
}

/// A distribution with every value it draws multiplied by `factor`: the parameters in the
/// unit of the key (means, scales, bounds, observed values) scale; shapes and cv do not.
json scaled_distribution(const json &distribution, double factor, const std::string &source,
                         const std::string &pointer, std::size_t depth) {
  if (depth > max_scaled_depth)
    fail(source, pointer,
         fmt::format("expected a value nested at most {} deep to multiply", max_scaled_depth));
  json out = distribution;
  const std::string type =
      distribution["type"].is_string() ? distribution["type"].get<std::string>() : std::string{};
  const auto scale_key = [&](const char *key) {
    if (out.contains(key))
      out[key] = scaled(out[key], factor, source, child_pointer(pointer, key), depth + 1);
  };
  if (type == "constant") {
    scale_key("value");
  } else if (type == "exponential" || type == "lognormal" || type == "gamma") {
    scale_key("mean");
  } else if (type == "weibull") {
    scale_key("scale");
  } else if (type == "uniform") {
    scale_key("min");
    scale_key("max");
  } else if (type == "empirical") {
    scale_key("values");
  } else if (type == "mixture" && out["components"].is_array()) {
    for (std::size_t i = 0; i < out["components"].size(); ++i) {
      json &component = out["components"][i];
      if (component.is_object() && component.contains("distribution"))
        component["distribution"] = scaled_distribution(
            component["distribution"], factor, source,
            fmt::format("{}/components/{}/distribution", pointer, i), depth + 1);
    }
  } else {
    fail(source, child_pointer(pointer, "type"),
         fmt::format("expected a distribution of a known type to multiply, found {}",
                     describe(distribution["type"])));
  }
  return out;
}

json scaled(const json &value, double factor, const std::string &source, const std::string &pointer,
            std::size_t depth) {
  if (depth > max_scaled_depth)
    fail(source, pointer,
         fmt::format("expected a value nested at most {} deep to multiply", max_scaled_depth));
  if (value.is_number()) {
    const double product = value.get<double>() * factor;
    // A whole-number key (headcount, hires) stays whole: the nearest whole number. Only these:
    // a mean written "28" is a real number that happens to be whole.
    if (whole_number_key(pointer) && std::fabs(product) < max_exact_integer)
      return static_cast<std::int64_t>(std::llround(product));
    return product;
  }
  if (value.is_object() && value.contains("type")) {
    return scaled_distribution(value, factor, source, pointer, depth + 1);
  }
  if (value.is_object()) {
    json out = value;
    for (auto &item : out.items())
      item.value() =
          scaled(item.value(), factor, source, child_pointer(pointer, item.key()), depth + 1);
    return out;
  }
  if (value.is_array() &&
      std::all_of(value.begin(), value.end(), [](const json &v) { return v.is_number(); })) {
    json out = value;
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = scaled(out[i], factor, source, fmt::format("{}/{}", pointer, i), depth + 1);
    return out;
  }
  fail(source, pointer,
       fmt::format("expected a number, a distribution or an object of them in the base to "
                   "multiply, found {}",
                   describe(value)));
}

/// A region's volume in the base: its share (stated, or 1 / number of regions) of all cases.
double base_share(const json &region, std::size_t regions) {
  if (region.contains("demand_share") && region["demand_share"].is_number())
    return region["demand_share"].get<double>();
  return 1.0 / static_cast<double>(regions);
}

} // namespace

bool is_change(const json &overlay) {
  if (!overlay.is_object() || overlay.size() != 1) return false;
  if (overlay.contains("times")) return true;
  return overlay.contains("add") && !overlay["add"].is_boolean();
}

json apply_change(const json *base, const json &change, const std::string &source,
                  const std::string &pointer) {
  if (change.contains("add")) {
    const json &amount = change["add"];
    const std::string at = child_pointer(pointer, "add");
    if (amount.is_array()) {
      if (base == nullptr) return amount;
      if (!base->is_array())
        fail(source, at,
             fmt::format("expected {{\"add\": [...]}} only where the base has an array, found {} "
                         "in the base",
                         describe(*base)));
      // Named elements (groups, sites, ...) are added one by one with "add": true, so that a
      // name the base has is an error rather than a second element of that name.
      if (!base->empty() && all_named(*base) && all_named(amount))
        fail(source, at,
             "expected elements with \"add\": true to add named elements, found {\"add\": [...]}");
      json out = *base;
      for (const json &element : amount)
        out.push_back(element);
      return out;
    }
    if (!amount.is_number())
      fail(source, at,
           fmt::format("expected a number or an array to add, found {}", describe(amount)));
    if (base == nullptr)
      fail(source, at,
           "expected a value in the base to add to, found none (the base leaves it at its "
           "default: state the value itself)");
    if (!base->is_number())
      fail(source, at,
           fmt::format("expected a number to add to, found {} in the base", describe(*base)));
    if (base->is_number_integer() && amount.is_number_integer()) {
      const double sum = base->get<double>() + amount.get<double>();
      if (std::fabs(sum) < max_exact_integer)
        return base->get<std::int64_t>() + amount.get<std::int64_t>();
      return sum;
    }
    return base->get<double>() + amount.get<double>();
  }
  const json &factor = change["times"];
  const std::string at = child_pointer(pointer, "times");
  if (!factor.is_number() || !(factor.get<double>() >= 0) || factor.get<double>() > max_factor)
    fail(source, at,
         fmt::format("expected a factor from 0 to {:g}, found {}", max_factor, describe(factor)));
  if (base == nullptr)
    fail(source, at,
         "expected a value in the base to multiply, found none (the base leaves it at its "
         "default: state the value itself)");
  return scaled(*base, factor.get<double>(), source, pointer);
}

void reject_changes(const json &doc, const std::string &source) {
  if (!doc.is_object()) return;
  // Without recursion: a hostile file may nest thousands of levels (the schema's nesting limit
  // comes later, in validation).
  struct Place {
    const json *value;
    std::string pointer;
    bool region; // an element of "regions"
  };
  std::vector<Place> pending;
  for (const auto &item : doc.items())
    pending.push_back({&item.value(), child_pointer("", item.key()), false});
  while (!pending.empty()) {
    const Place place = std::move(pending.back());
    pending.pop_back();
    const json &value = *place.value;
    if (is_change(value))
      fail(source, place.pointer,
           fmt::format("expected a value, found the change {}: a change needs a base value, and "
                       "there is none here (a file without \"extends\", or a new element)",
                       value.dump()));
    if (value.is_object()) {
      if (place.region && value.contains("volume_factor"))
        fail(source, child_pointer(place.pointer, "volume_factor"),
             "expected volume_factor only in a what-if, which scales its base's region (a file "
             "with \"extends\", or an options file's override); a scenario of its own states "
             "demand.cases_per_month and each region's demand_share");
      for (const auto &item : value.items())
        pending.push_back({&item.value(), child_pointer(place.pointer, item.key()), false});
    } else if (value.is_array()) {
      const bool regions = place.pointer == "/regions";
      for (std::size_t i = 0; i < value.size(); ++i)
        pending.push_back({&value[i], fmt::format("{}/{}", place.pointer, i), regions});
    }
  }
}

std::vector<VolumeFactor> take_volume_factors(json &overlay, const std::string &source,
                                              const std::string &pointer) {
  std::vector<VolumeFactor> factors;
  if (!overlay.is_object() || !overlay.contains("regions") || !overlay["regions"].is_array())
    return factors;
  json &regions = overlay["regions"];
  for (std::size_t i = 0; i < regions.size(); ++i) {
    json &region = regions[i];
    if (!region.is_object() || !region.contains("volume_factor")) continue;
    const std::string at = fmt::format("{}/regions/{}", pointer, i);
    const json &factor = region["volume_factor"];
    if (!factor.is_number() || !(factor.get<double>() >= 0) || factor.get<double>() > max_factor)
      fail(source, at + "/volume_factor",
           fmt::format("expected a factor from 0 to {:g} on the base's cases of this region, "
                       "found {}",
                       max_factor, describe(factor)));
    if (!region.contains("name") || !region["name"].is_string() ||
        region["name"].get<std::string>().find('*') != std::string::npos)
      fail(source, at + "/name",
           "expected the name of one region of the base beside volume_factor");
    for (const char *key : {"add", "remove", "demand_share"})
      if (region.contains(key))
        fail(source, child_pointer(at, key),
             fmt::format("expected no \"{}\" beside volume_factor: the factor scales a region the "
                         "base has and recomputes every demand_share",
                         key));
    factors.push_back(
        {region["name"].get<std::string>(), factor.get<double>(), at + "/volume_factor"});
    region.erase("volume_factor");
  }
  if (factors.empty()) return factors;
  for (std::size_t i = 0; i < regions.size(); ++i)
    for (const char *key : {"add", "remove", "demand_share"})
      if (regions[i].is_object() && regions[i].contains(key))
        fail(source, fmt::format("{}/regions/{}/{}", pointer, i, key),
             fmt::format("expected no \"{}\" in a file with a volume_factor (at {}): the factors "
                         "keep the base's regions and recompute every demand_share",
                         key, factors.front().pointer));
  if (overlay.contains("demand") && overlay["demand"].is_object() &&
      overlay["demand"].contains("cases_per_month"))
    fail(source, pointer + "/demand/cases_per_month",
         fmt::format("expected no cases_per_month in a file with a volume_factor (at {}): the "
                     "loader recomputes it from the base's volumes; state one or the other",
                     factors.front().pointer));
  return factors;
}

void apply_volume_factors(const json &base, json &merged, const std::vector<VolumeFactor> &factors,
                          const std::string &source) {
  if (factors.empty()) return;
  const json *cases = base.contains("demand") ? &base["demand"] : nullptr;
  if (cases == nullptr || !cases->is_object() || !cases->contains("cases_per_month") ||
      !(*cases)["cases_per_month"].is_number())
    fail(source, factors.front().pointer,
         "expected a base that states demand.cases_per_month, for the factor to scale");
  if (!base.contains("regions") || !base["regions"].is_array())
    fail(source, factors.front().pointer,
         "expected a base that states its regions, for the factor to scale one of them");
  const double base_cases = (*cases)["cases_per_month"].get<double>();
  const json &base_regions = base["regions"];
  json &regions = merged["regions"];
  // The merge kept the base's regions in its order (no region was added or removed).
  std::vector<double> volumes;
  double total = 0;
  for (const json &region : base_regions) {
    double volume = base_cases * base_share(region, base_regions.size());
    for (const VolumeFactor &f : factors)
      if (region["name"] == f.region) volume *= f.factor;
    volumes.push_back(volume);
    total += volume;
  }
  // Cases per month to a millionth of a case: 15000 × 0.35 × 1.1 is 5775.000000000001 in
  // doubles, and the file `show` prints should say 15525, not 15525.000000000002.
  merged["demand"]["cases_per_month"] = std::round(total * 1e6) / 1e6;
  if (total > 0)
    for (std::size_t i = 0; i < regions.size() && i < volumes.size(); ++i)
      regions[i]["demand_share"] = volumes[i] / total;
}

std::string group_label(const json &root, const json &group) {
  const auto first_name = [&](const char *section, const char *fallback) -> std::string {
    if (root.contains(section) && root[section].is_array() && !root[section].empty() &&
        root[section][0].is_object() && root[section][0].contains("name") &&
        root[section][0]["name"].is_string())
      return root[section][0]["name"].get<std::string>();
    return fallback;
  };
  const auto string_or = [](const json &object, const char *key, std::string fallback) {
    if (object.is_object() && object.contains(key) && object[key].is_string())
      return object[key].get<std::string>();
    return fallback;
  };
  const std::string site = string_or(group, "site", first_name("sites", "Main"));
  std::string region = first_name("regions", "Global");
  if (root.contains("sites") && root["sites"].is_array())
    for (const json &s : root["sites"])
      if (s.is_object() && s.contains("name") && s["name"] == site)
        region = string_or(s, "region", region);
  return region + "-" + string_or(group, "tier", first_name("tiers", "L1"));
}

} // namespace supportsim::scenarios::detail
