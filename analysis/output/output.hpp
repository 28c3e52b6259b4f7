#pragma once

#include "scenarios/input_error.hpp"

#include <cmath>
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

/// Text as one CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote
/// or a line break; as it is otherwise.
std::string csv_field(std::string_view text);

/// A number as a CSV field: its shortest exact form ("0.95", "1e-05"), or empty when undefined
/// (NaN), which pandas and spreadsheets read as missing.
std::string csv_number(double x);

/// For people (terminal table, HTML): a rate as a percentage with one decimal and its 95 %
/// half-width, "95.1% ± 0.4"; without a half-width "95.1%"; "-" when undefined.
std::string format_percent(double mean, double half_width = NAN);
/// A signed change as a percentage, "+12.3%", "-4.0%", "0.0%" (never "-0.0%"); "-" when NaN.
std::string format_signed_percent(double x);
/// A length of time given in minutes, in the unit that reads best: "4.2 min", "3.5 h", "2.1 d".
std::string format_minutes(double minutes);
/// Money with two decimals, "41.37"; "-" when undefined.
std::string format_money(double x);

/// `text` broken at spaces into lines of at most `width` characters (a longer word stands
/// alone), the first line starting with `indent`, the next ones with `indent` and two spaces;
/// each line ends with a newline.
std::string wrap_text(const std::string &text, std::size_t width, const std::string &indent);

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
