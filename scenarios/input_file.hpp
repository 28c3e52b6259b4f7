#pragma once
// How every input file is opened: scenarios, their bases, options files, mapping files, sweep
// parts (read whole, as JSON) and case exports and staffing files (streamed as CSV).
// docs/reliability.md states the rules.

#include <cstdint>
#include <optional>
#include <string>

namespace supportsim::scenarios {

/// The largest JSON file read whole (a scenario, a base it extends, an options file, a mapping
/// file): far beyond any real one, and small enough that its document fits in memory.
inline constexpr std::uintmax_t max_json_file_bytes = std::uintmax_t{64} << 20;

/// The largest sweep part file: it holds every option's figures for its replications.
inline constexpr std::uintmax_t max_part_file_bytes = std::uintmax_t{1} << 30;

/// What makes `path` unusable as input (`what`, such as "a scenario file (.json)"), or nothing:
/// it does not exist, is a folder, or is neither a regular file nor a pipe (a device such as
/// /dev/zero, a socket). Pipes are allowed so that `<(zcat export.csv.gz)` can be read.
std::optional<std::string> input_file_problem(const std::string &path, const char *what);

/// The whole text of the input file `path`, at most `max_bytes` long. Throws ScenarioError
/// naming the file for input_file_problem()'s problems, a file larger than `max_bytes` (said
/// in MiB) and a failed read.
std::string read_input_file(const std::string &path, const char *what,
                            std::uintmax_t max_bytes = max_json_file_bytes);

} // namespace supportsim::scenarios
