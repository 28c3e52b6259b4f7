// Fuzz target: --vary paths and specs (scenarios/override.hpp, docs/sweep.md) over a small
// organisation (tests/scenarios/good/small_org.json: loading it is cheap, so the fuzzer runs
// many inputs a second). Each line of the input is one "PATH=SPEC" (at most four). The path alone
// is resolved as a number's path, a pattern and a group set; the whole list is planned as a sweep,
// whose first and last options are validated by the loader and whose settings table is built.
// Property: a plan written as a part file's JSON and read back writes the same JSON.
#include "fuzz_support.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace supportsim;

namespace {

const std::string base_source = SUPPORTSIM_SOURCE_DIR "/tests/scenarios/good/small_org.json";

const nlohmann::json &base_document() {
  static const nlohmann::json doc = scenarios::load_scenario_document(base_source);
  return doc;
}

std::vector<std::string> lines_of(std::string_view text, std::size_t limit) {
  std::vector<std::string> lines;
  while (!text.empty() && lines.size() < limit) {
    const auto [line, rest] = fuzz::split_once(text, "\n");
    lines.emplace_back(line);
    text = rest;
  }
  return lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::vector<std::string> vary = lines_of(fuzz::as_text(data, size), 4);
  const nlohmann::json &base = base_document();
  const std::string &source = base_source;
  for (const std::string &option : vary) {
    // Not a structured binding: clang 14 cannot capture one in the lambdas below.
    const std::pair<std::string_view, std::string_view> path_spec = fuzz::split_once(option, "=");
    const std::string_view path = path_spec.first, spec = path_spec.second;
    fuzz::expect_only_input_errors([&] { scenarios::resolve_path(base, path); });
    fuzz::expect_only_input_errors([&] { scenarios::numeric_paths_matching(base, path); });
    fuzz::expect_only_input_errors([&] { scenarios::resolve_group_set(base, source, path); });
    fuzz::expect_only_input_errors([&] { scenarios::parse_values(spec); });
  }
  fuzz::expect_only_input_errors([&] {
    const scenarios::SweepPlan plan = scenarios::plan_sweep(source, base, vary);
    // Grids of up to 10,000 options are allowed; tabulating one takes seconds, which would
    // starve the search. Planning it (above) is what a large grid tests.
    if (plan.options.size() > 200) return;
    scenarios::settings_table(plan);
    const nlohmann::json written = scenarios::plan_to_json(plan);
    nlohmann::json again;
    try {
      again = scenarios::plan_to_json(scenarios::plan_from_json(written, "part.json", "/plan"));
    } catch (const std::exception &e) {
      fuzz::property_failed("a plan's JSON does not read back: " + std::string(e.what()));
    }
    if (again != written)
      fuzz::property_failed("a plan's JSON read back writes differently:\n" + written.dump() +
                            "\n" + again.dump());
    // Validating an option runs the whole loader: the baseline, the first and the last suffice.
    const std::size_t count = plan.options.size();
    for (const std::size_t i : {std::size_t{1}, count - 1})
      if (i > 0 && i < count) scenarios::option_scenario(plan, i);
  });
  return 0;
}
