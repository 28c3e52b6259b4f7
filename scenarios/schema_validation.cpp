#include "scenarios/schema_validation.hpp"

#include "scenarios/scenario.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <limits>
#include <memory>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#include <vector>

namespace supportsim::scenarios::detail {

using nlohmann::json;

namespace {

constexpr std::size_t max_nesting = 64;

const json &schema_document() {
  static const json doc = json::parse(scenario_schema_text());
  return doc;
}

const JsonSchema &schema() {
  static const JsonSchema parsed(schema_document());
  return parsed;
}

/// Deepest nesting of arrays and objects, without recursion (a hostile file must not overflow
/// the stack, here or in the validator, which recurses).
std::size_t nesting_depth(const json &doc) {
  std::size_t deepest = 0;
  std::vector<std::pair<const json *, std::size_t>> pending{{&doc, 1}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) continue;
    deepest = std::max(deepest, depth);
    if (depth > max_nesting) break;
    for (const json &item : *node)
      pending.emplace_back(&item, depth + 1);
  }
  return deepest;
}

// --- The schema, walked along a document pointer --------------------------------------------

const json *resolve(const json *node) {
  while (node && node->is_object() && node->contains("$ref")) {
    const std::string ref = (*node)["$ref"].get<std::string>(); // "#/definitions/..."
    node = &schema_document().at(json::json_pointer(ref.substr(1)));
  }
  return node;
}

/// The branches of an allOf of if/then pairs (our distributions) whose "if" holds for `value`:
/// "if": {"properties": {"type": {"const": X}}} or {"enum": [...]}.
std::vector<const json *> matching_branches(const json &node, const json &value) {
  std::vector<const json *> out;
  if (!node.contains("allOf") || !value.is_object() || !value.contains("type")) return out;
  for (const json &branch : node["allOf"]) {
    const json *test = branch.contains("if") ? &branch["if"] : nullptr;
    if (!test || !test->contains("properties") || !(*test)["properties"].contains("type")) continue;
    const json &type = (*test)["properties"]["type"];
    const bool holds = (type.contains("const") && type["const"] == value["type"]) ||
                       (type.contains("enum") && std::find(type["enum"].begin(), type["enum"].end(),
                                                           value["type"]) != type["enum"].end());
    if (holds && branch.contains("then")) out.push_back(&branch["then"]);
  }
  return out;
}

/// The subschema that describes the property `key` of `value` under `node`, if any.
const json *property_schema(const json &node, const json &value, const std::string &key) {
  for (const json *then : matching_branches(node, value))
    if (then->contains("properties") && (*then)["properties"].contains(key) &&
        (*then)["properties"][key].is_object())
      return &(*then)["properties"][key];
  if (node.contains("properties") && node["properties"].contains(key))
    return &node["properties"][key];
  if (node.contains("additionalProperties") && node["additionalProperties"].is_object())
    return &node["additionalProperties"];
  return nullptr;
}

struct Place {
  const json *schema; // the subschema at the pointer, $refs resolved; null if none
  const json *value;  // the document's value at the pointer; null if absent
};

Place walk(const json &doc, const std::vector<std::string> &tokens) {
  Place at{resolve(&schema_document()), &doc};
  for (const std::string &token : tokens) {
    if (!at.schema || !at.value) return {nullptr, nullptr};
    if (at.value->is_object()) {
      at.schema = resolve(property_schema(*at.schema, *at.value, token));
      at.value = at.value->contains(token) ? &(*at.value)[token] : nullptr;
    } else if (at.value->is_array()) {
      const std::size_t i = std::stoul(token);
      at.schema = resolve(at.schema->contains("items") ? &(*at.schema)["items"] : nullptr);
      at.value = i < at.value->size() ? &(*at.value)[i] : nullptr;
    } else {
      return {nullptr, nullptr};
    }
  }
  return at;
}

/// The keys an object may have at this place in the schema.
std::vector<std::string> allowed_keys(const Place &at) {
  std::vector<std::string> keys;
  auto add = [&](const json &properties) {
    for (const auto &item : properties.items())
      if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) keys.push_back(item.key());
  };
  if (!at.schema) return keys;
  if (at.schema->contains("properties")) add((*at.schema)["properties"]);
  if (at.value)
    for (const json *then : matching_branches(*at.schema, *at.value))
      if (then->contains("properties")) add((*then)["properties"]);
  return keys;
}

std::string bound(const json &b) {
  return b.is_number_integer() ? b.dump() : fmt::format("{:g}", b.get<double>());
}

/// The schema's size limits at a place, " (at most 10000 elements)", so that a message never
/// leaves a limit unsaid; nothing where `said` already names them.
std::string limits(const json &s, const std::string &said) {
  std::string out;
  auto add = [&](const char *keyword, const char *unit) {
    if (!s.contains(keyword)) return;
    const std::string n = bound(s[keyword]);
    if (said.find(n) != std::string::npos) return;
    out += fmt::format("{}at most {}{}", out.empty() ? "" : ", ", n, unit);
  };
  add("maxItems", " elements");
  add("maxProperties", " keys");
  add("maxLength", " characters");
  add("maximum", "");
  return out.empty() ? out : " (" + out + ")";
}

std::string expectation_of(const json *s);

/// What the schema wants at a place, in words: its "x-expected", or one made from its type,
/// range and enumeration, with its size limits.
std::string expectation(const json *s) {
  std::string said = expectation_of(s);
  return s ? said + limits(*s, said) : said;
}

std::string expectation_of(const json *s) {
  if (!s) return "a valid value";
  if (s->contains("x-expected")) return (*s)["x-expected"].get<std::string>();
  if (s->contains("enum")) {
    std::string list;
    for (const json &v : (*s)["enum"])
      list += (list.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
    return "one of " + list;
  }
  const std::string type = s->value("type", "");
  if (type == "integer") {
    if (s->contains("minimum") && s->contains("maximum"))
      return fmt::format("a whole number from {} to {}", bound((*s)["minimum"]),
                         bound((*s)["maximum"]));
    if (s->contains("minimum")) return fmt::format("a whole number >= {}", bound((*s)["minimum"]));
    return "a whole number";
  }
  if (type == "number") {
    std::string lower, upper;
    if (s->contains("exclusiveMinimum"))
      lower = "> " + bound((*s)["exclusiveMinimum"]);
    else if (s->contains("minimum"))
      lower = ">= " + bound((*s)["minimum"]);
    if (s->contains("maximum")) upper = "<= " + bound((*s)["maximum"]);
    if (!lower.empty() && !upper.empty()) return fmt::format("a number {} and {}", lower, upper);
    if (!lower.empty() || !upper.empty()) return "a number " + lower + upper;
    return "a number";
  }
  if (type == "string") return s->value("minLength", 0) > 0 ? "a non-empty string" : "a string";
  if (type == "boolean") return "true or false";
  if (type == "array") return "an array";
  if (type == "object") return "an object";
  return "a valid value";
}

bool starts_with(const std::string &text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string quoted_tail(const std::string &description) {
  // "...: 'agnets'." or "Missing required property 'name'." -> agnets / name
  const auto last = description.rfind('\'');
  const auto first = last == std::string::npos ? last : description.rfind('\'', last - 1);
  if (first == std::string::npos) return {};
  return description.substr(first + 1, last - first - 1);
}

} // namespace

std::string SchemaProblem::pointer() const {
  std::string out;
  for (const std::string &token : tokens)
    out = child_pointer(out, token);
  return out;
}

JsonSchema::JsonSchema(const json &schema) : schema_(std::make_unique<valijson::Schema>()) {
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter adapter(schema);
  parser.populateSchema(adapter, *schema_);
}

JsonSchema::~JsonSchema() = default;

std::vector<SchemaProblem> JsonSchema::problems(const json &doc) const {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::vector<SchemaProblem> out;
  if (validator.validate(*schema_, target, &results)) return out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    SchemaProblem &p = out.emplace_back();
    for (const std::string &part : error.context) // "<root>", "[queues]", "[0]", "[agents]"
      if (part != "<root>" && part.size() >= 2) p.tokens.push_back(part.substr(1, part.size() - 2));
    p.summary = starts_with(error.description, "Failed to validate");
    p.description = std::move(error.description);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  limit = std::min(limit, std::numeric_limits<std::size_t>::max() - 1); // so limit + 1 is one more
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  // Two cheap lower bounds first, so that searching many candidates for the nearest costs little:
  // the difference in length, and the letters one word has beyond the other's (each takes an edit).
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  if (limit < std::max(a.size(), b.size())) {
    std::array<std::ptrdiff_t, 256> surplus{}; // a's count of each byte minus b's
    for (const char c : a)
      ++surplus[static_cast<unsigned char>(lower(c))];
    for (const char c : b)
      --surplus[static_cast<unsigned char>(lower(c))];
    std::size_t only_a = 0, only_b = 0;
    for (const std::ptrdiff_t d : surplus)
      (d > 0 ? only_a : only_b) += static_cast<std::size_t>(d > 0 ? d : -d);
    if (std::max(only_a, only_b) > limit) return limit + 1;
  }
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      row[j] = std::min(std::min(row[j], row[j - 1]) + 1, diagonal + (same ? 0 : 1));
      row_min = std::min(row_min, row[j]);
      diagonal = up;
    }
    // Every later row's cells are at least this row's smallest: past the limit, it stays past.
    if (row_min > limit) return limit + 1;
  }
  return std::min(row[b.size()], limit + 1);
}

std::string describe(const json &v) {
  switch (v.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::boolean:
    return v.get<bool>() ? "true" : "false";
  case json::value_t::string: {
    const std::string &s = v.get_ref<const std::string &>();
    if (s.size() > 40)
      return fmt::format("the string \"{}...\" ({} bytes)", s.substr(0, 37), s.size());
    return fmt::format("the string \"{}\"", s);
  }
  case json::value_t::array:
    return fmt::format("an array of {}", v.size());
  case json::value_t::object:
    return fmt::format("an object of {} key{}", v.size(), v.size() == 1 ? "" : "s");
  default:
    return v.dump();
  }
}

std::string child_pointer(const std::string &pointer, std::string_view key) {
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

std::string did_you_mean(std::string_view word, const std::vector<std::string> &candidates) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  bool tie = false;
  for (const std::string &candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate, best_distance);
    if (distance < best_distance)
      best_distance = distance, best = candidate, tie = false;
    else if (distance == best_distance && candidate != best)
      tie = true;
  }
  // A clear winner only, and near enough: at most a third of the word's letters changed.
  if (tie || best.empty() || best_distance > std::max<std::size_t>(1, word.size() / 3)) return {};
  return best;
}

void validate_against_schema(const json &doc, const std::string &source) {
  if (nesting_depth(doc) > max_nesting)
    throw ScenarioError(source, "/",
                        fmt::format("expected at most {} levels of nested objects and arrays, "
                                    "found more",
                                    max_nesting));
  const std::vector<SchemaProblem> problems = schema().problems(doc);
  if (problems.empty()) return;

  // Of the innermost failures, report the most useful: an unknown key first (a typo there
  // also makes a required key "missing", which would mislead), then a wrong value, then a
  // missing key; in document order within each kind. A summary only if there is nothing else.
  auto rank = [](const SchemaProblem &p) {
    if (p.summary) return 3;
    if (starts_with(p.description, "Object contains a property that could not be validated"))
      return 0;
    if (starts_with(p.description, "Missing required property")) return 2;
    return 1;
  };
  const SchemaProblem &first = *std::min_element(
      problems.begin(), problems.end(),
      [&](const SchemaProblem &a, const SchemaProblem &b) { return rank(a) < rank(b); });
  const std::vector<std::string> &tokens = first.tokens;
  const std::string pointer = first.pointer();
  const Place at = walk(doc, tokens);
  const std::string &d = first.description;
  auto fail = [&](const std::string &place, const std::string &problem) {
    throw ScenarioError(source, place.empty() ? "/" : place, problem);
  };

  if (starts_with(d, "Missing required property"))
    fail(pointer, fmt::format("missing required key \"{}\"", quoted_tail(d)));
  if (starts_with(d, "Object contains a property that could not be validated")) {
    const std::string key = quoted_tail(d);
    const std::vector<std::string> allowed = allowed_keys(at);
    std::string list;
    for (const std::string &candidate : allowed)
      list += (list.empty() ? "" : ", ") + candidate;
    if (const std::string best = did_you_mean(key, allowed); !best.empty())
      fail(child_pointer(pointer, key),
           fmt::format("unknown key \"{}\"; did you mean \"{}\"?", key, best));
    fail(child_pointer(pointer, key),
         fmt::format("unknown key \"{}\"; expected one of: {}", key, list));
  }
  const std::string found_text = at.value ? describe(*at.value) : "nothing";
  if (starts_with(d, "Failed to match against any enum values") && at.value &&
      at.value->is_string())
    fail(pointer, fmt::format("expected {}; found \"{}\"", expectation(at.schema),
                              at.value->get<std::string>()));
  fail(pointer, fmt::format("expected {}, found {}", expectation(at.schema), found_text));
}

} // namespace supportsim::scenarios::detail
