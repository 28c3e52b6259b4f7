#pragma once

#include "scenarios/input_error.hpp"

#include <filesystem>
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

/// Where to write `final_path` before renaming it into place: a hidden name beside it that
/// carries the process id, so two runs writing to one folder do not collide
/// (".summary.json.tmp-4242").
std::filesystem::path temporary_path(const std::filesystem::path &final_path);

/// Makes sure `folder` can take results before any work is done: creates it if needed, and
/// throws OutputError if it is a file or cannot be created.
void prepare_output_folder(const std::filesystem::path &folder);

/// Makes sure a file can be written at `path` before any work is done: its folder exists and
/// `path` is not itself a folder. Throws OutputError naming the path otherwise.
void check_output_file(const std::filesystem::path &path);

/// Writes each (file name, content) into `folder`, creating the folder if needed, so that no
/// file is ever seen half-written: each is written under its temporary_path(), and only when
/// all are written are they renamed into place. If a write fails, no final file changes; the
/// temporary files are removed and OutputError is thrown. (A rename failing midway, which a
/// same-folder rename practically never does, would leave the earlier files replaced.)
void write_files_atomically(const std::filesystem::path &folder,
                            const std::vector<std::pair<std::string, std::string>> &files);

} // namespace supportsim::analysis
