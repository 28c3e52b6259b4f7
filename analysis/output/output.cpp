#include "analysis/output/output.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace supportsim::analysis {

namespace fs = std::filesystem;

fs::path temporary_path(const fs::path &final_path) {
  return final_path.parent_path() /
         fmt::format(".{}.tmp-{}", final_path.filename().string(), ::getpid());
}

void prepare_output_folder(const fs::path &folder) {
  std::error_code ec;
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: is not a folder; expected a folder for the results", folder.string()));
  fs::create_directories(folder, ec);
  if (ec)
    throw OutputError(
        fmt::format("{}: cannot create the folder: {}", folder.string(), ec.message()));
}

void check_output_file(const fs::path &path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw OutputError(fmt::format("{}: is a folder; expected a file name", path.string()));
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: the folder {} does not exist", path.string(), folder.string()));
}

void write_files_atomically(const fs::path &folder,
                            const std::vector<std::pair<std::string, std::string>> &files) {
  prepare_output_folder(folder);
  std::error_code ec;

  std::vector<fs::path> written;
  auto discard = [&] {
    for (const fs::path &p : written) {
      std::error_code ignored;
      fs::remove(p, ignored);
    }
  };
  for (const auto &[name, content] : files) {
    const fs::path temporary = temporary_path(folder / name);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out) written.push_back(temporary);
    out << content;
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      discard();
      throw OutputError(fmt::format("{}: cannot write: {}", (folder / name).string(), why));
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    fs::rename(written[i], folder / files[i].first, ec);
    if (ec) {
      discard();
      throw OutputError(
          fmt::format("{}: cannot write: {}", (folder / files[i].first).string(), ec.message()));
    }
  }
}

} // namespace supportsim::analysis
