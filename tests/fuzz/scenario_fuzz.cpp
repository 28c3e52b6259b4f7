// Fuzz target: the scenario loader (JSON text -> schema -> validated Scenario), with a
// round-trip property. Any scenario that loads, written out by dump_scenario and loaded again,
// must load (no error of any kind) and dump to the same bytes: the dump is "what supportsim will
// run", so a dump that does not load, or loads to something else, would be silently wrong.
#include "fuzz_support.hpp"
#include "scenarios/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

using namespace supportsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string source = "fuzz.json";
  fuzz::expect_only_input_errors([&] {
    const scenarios::Scenario scenario =
        scenarios::parse_scenario(fuzz::as_text(data, size), source);
    const std::string dump = scenarios::dump_scenario(scenario);
    std::string again;
    try {
      again = scenarios::dump_scenario(scenarios::parse_scenario(dump, source));
    } catch (const std::exception &e) {
      fuzz::property_failed("the dump of a scenario that loads does not load: " +
                            std::string(e.what()) + "\n--- dump:\n" + dump);
    }
    if (again != dump)
      fuzz::property_failed(
          "the dump of a scenario, loaded and dumped again, differs:\n--- first:\n" + dump +
          "\n--- second:\n" + again);
  });
  return 0;
}
