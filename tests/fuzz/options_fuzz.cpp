// Fuzz target: sweep options files ({"options": [{"name": ..., "override": {...}}]},
// docs/sweep.md), read from a file as `supportsim sweep --options` reads them, planned over a
// small organisation (tests/scenarios/good/small_org.json: cheap to load, so many inputs a
// second), and the first three options validated by the loader.
#include "fuzz_support.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

using namespace supportsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const fuzz::ScratchFile options_file("options.json");
  static const std::string source = SUPPORTSIM_SOURCE_DIR "/tests/scenarios/good/small_org.json";
  static const nlohmann::json base = scenarios::load_scenario_document(source);
  fuzz::expect_only_input_errors([&] {
    std::vector<scenarios::ScenarioOption> listed =
        scenarios::load_options_file(options_file.write(fuzz::as_text(data, size)));
    const scenarios::SweepPlan plan = scenarios::plan_sweep(source, base, {}, std::move(listed));
    scenarios::settings_table(plan);
    for (std::size_t i = 1; i < std::min<std::size_t>(plan.options.size(), 4); ++i)
      scenarios::option_scenario(plan, i);
  });
  return 0;
}
