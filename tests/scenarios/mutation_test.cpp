// Bad input never crashes: thousands of random mutations of the default scenario each either
// load or fail with a ScenarioError naming the place, never another exception.
#include "scenarios/scenario.hpp"
#include "sim/random.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using nlohmann::json;
using namespace supportsim;

namespace {

/// Every value in the document, by JSON pointer.
void pointers(const json &v, const std::string &at, std::vector<std::string> &out) {
  out.push_back(at);
  if (v.is_object())
    for (const auto &item : v.items())
      pointers(item.value(), at + "/" + item.key(), out);
  if (v.is_array())
    for (std::size_t i = 0; i < v.size(); ++i)
      pointers(v[i], at + "/" + std::to_string(i), out);
}

json random_value(sim::RandomStream &rng) {
  const std::vector<json> values{json(nullptr),
                                 json(true),
                                 json(-1),
                                 json(0),
                                 json(0.5),
                                 json(1e308),
                                 json(-1e308),
                                 json(7),
                                 json(100001),
                                 json(""),
                                 json("P1"),
                                 json("mixture"),
                                 json::array(),
                                 json::object(),
                                 json::array({1, 2}),
                                 json({{"type", "mixture"}}),
                                 json(2.5e-9),
                                 json(std::numeric_limits<std::uint64_t>::max())};
  return values[static_cast<std::size_t>(rng.uniform01() * values.size())];
}

} // namespace

TEST_CASE("scenarios: random mutations load or fail cleanly, never crash", "[scenarios]") {
  const json base = json::parse(scenarios::default_scenario_text());
  std::vector<std::string> places;
  pointers(base, "", places);
  auto rng = sim::RandomStreams(11, 0).stream("mutations");
  int loaded = 0, refused = 0;
  for (int i = 0; i < 1500; ++i) {
    json doc = base;
    const int edits = 1 + static_cast<int>(rng.uniform01() * 3);
    for (int e = 0; e < edits; ++e) {
      const std::string &place = places[static_cast<std::size_t>(rng.uniform01() * places.size())];
      if (place.empty()) continue;
      const json::json_pointer ptr(place);
      if (!doc.contains(ptr)) continue;
      if (rng.uniform01() < 0.2) {
        // Remove the value.
        json &parent = doc[ptr.parent_pointer()];
        if (parent.is_object())
          parent.erase(ptr.back());
        else if (parent.is_array() && parent.size() > 1)
          parent.erase(std::stoul(ptr.back()));
      } else {
        doc[ptr] = random_value(rng);
      }
    }
    INFO("mutation " << i << ": " << doc.dump());
    try {
      (void)scenarios::parse_scenario(doc.dump(), "mutant.json");
      ++loaded;
    } catch (const scenarios::ScenarioError &e) {
      ++refused;
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("mutant.json: /"));
    }
  }
  CHECK(refused > 1000); // most mutations are mistakes...
  CHECK(loaded > 10);    // ...but not all of them
}
