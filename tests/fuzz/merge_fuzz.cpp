// Fuzz target: the part files of a sharded sweep, as `supportsim merge` reads them. The input
// holds up to three parts separated by "\n==PART==\n"; each is written to its own file and the
// files are merged (one thread), then summarised and rendered as the merged report would be.
#include "analysis/sweep/sweep.hpp"
#include "fuzz_support.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace supportsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const std::array<fuzz::ScratchFile, 3> part_files{fuzz::ScratchFile("part-1.json"),
                                                           fuzz::ScratchFile("part-2.json"),
                                                           fuzz::ScratchFile("part-3.json")};
  std::vector<std::string> paths;
  std::string_view rest = fuzz::as_text(data, size);
  for (std::size_t i = 0; i < part_files.size() && (i == 0 || !rest.empty()); ++i) {
    const auto [part, after] = fuzz::split_once(rest, "\n==PART==\n");
    paths.push_back(part_files[i].write(part));
    rest = after;
  }
  fuzz::expect_only_input_errors([&] {
    const analysis::SweepResult merged = analysis::merge_sweep_parts(paths, SUPPORTSIM_VERSION, 1);
    const analysis::SweepSummary summary = analysis::summarise_sweep(merged);
    analysis::render_sweep_csv(summary);
    analysis::render_sweep_json(summary, SUPPORTSIM_VERSION);
    analysis::render_sweep_table(summary, SUPPORTSIM_VERSION);
  });
  return 0;
}
