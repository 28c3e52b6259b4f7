#pragma once

// Every file supportsim writes is published whole or not at all (docs/reliability.md, "Outputs
// under faults"): a result set of --out DIR by swapping a complete new folder in for the old one
// (write_result_set), a single file by renaming a complete temporary over it
// (write_file_atomically, AtomicFile). The temporaries are analysis/output/temporary.hpp's.

#include "analysis/output/temporary.hpp"
#include "scenarios/input_error.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportsim::analysis {

/// An output folder or file could not be written. what() names the path and the reason.
class OutputError : public scenarios::InputError {
public:
  using scenarios::InputError::InputError;
};

/// Files by name and content, in the order they are written.
using NamedFiles = std::vector<std::pair<std::string, std::string>>;

/// Makes sure `folder` can take results before any work is done: creates it if needed, and
/// throws OutputError if it is a file or cannot be created.
void prepare_output_folder(const std::filesystem::path &folder);

/// Why write_result_set cannot replace `folder` as a whole, so replaces its files one by one:
/// "it is a mount point", "it is the current folder", "its folder /x cannot be written"; empty
/// when it can (the usual case).
std::string why_replaced_file_by_file(const std::filesystem::path &folder);

/// Makes sure a file can be written at `path` before any work is done: its folder exists and
/// `path` is not itself a folder. Throws OutputError naming the path otherwise.
void check_output_file(const std::filesystem::path &path);

/// Publishes `files` as one set in `folder` (created if needed): a reader, or a process killed
/// at any moment, sees either the folder as it was or with every new file, never a mix. The
/// set is written into a hidden sibling folder (".DIR.tmp-PID"), which then takes the
/// folder's place in one atomic swap (renameat2 RENAME_EXCHANGE); the old folder is removed.
/// Entries of the folder that are not in `files` stay (hard-linked into the new folder before
/// the swap), except those named in `retired`: files of the set this write does not produce,
/// which go with the old set (plan-scenario.json when no plan was found). Where the folder
/// cannot be swapped (why_replaced_file_by_file), each file is renamed into place in turn.
/// Throws OutputError, with the folder unchanged, if anything cannot be written.
void write_result_set(const std::filesystem::path &folder, const NamedFiles &files,
                      const std::vector<std::string> &retired = {});

/// Writes `content` to `path` whole or not at all: into a temporary beside it, renamed over it
/// when complete. Throws OutputError, with `path` unchanged, if it cannot be written.
void write_file_atomically(const std::filesystem::path &path, std::string_view content);

/// A file written as a stream and published whole (a trace, synthesised arrivals): stream()
/// writes to a temporary beside the final path; commit() renames it into place. Destroyed
/// without commit(), it leaves the final path unchanged and no temporary behind.
class AtomicFile {
public:
  /// Opens the temporary for `final_path`, first removing what killed processes left of earlier
  /// writes to it. `what` names the file in errors ("the trace").
  AtomicFile(std::filesystem::path final_path, std::string what);

  std::ostream &stream() { return out_; }

  /// Flushes, checks and renames the file into place; OutputError if any of it fails.
  void commit();

private:
  [[noreturn]] void fail(const std::string &reason);

  std::filesystem::path final_;
  std::string what_;
  Temporary temporary_;
  std::ofstream out_;
};

} // namespace supportsim::analysis
