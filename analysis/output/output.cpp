#include "analysis/output/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace supportsim::analysis {

namespace fs = std::filesystem;

namespace {

/// temporary_path(final_path), with what killed processes left there removed first; OutputError
/// if `final_path` cannot be replaced by a file (check_output_file).
fs::path fresh_temporary_path(const fs::path &final_path) {
  check_output_file(final_path);
  remove_stale_temporaries(final_path);
  return temporary_path(final_path);
}

[[noreturn]] void cannot_write(const fs::path &path, const std::string &reason) {
  throw OutputError(fmt::format("{}: cannot write: {}", path.string(), reason));
}

/// Writes `content` into a new file at `path`; errors name `shown` (the final path) and the
/// system's reason ("No space left on device").
void write_whole(const fs::path &path, std::string_view content, const fs::path &shown) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) cannot_write(shown, std::strerror(errno));
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      cannot_write(shown, std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  // Some file systems (NFS) report a failed write only when the file is closed.
  if (::close(fd) != 0) cannot_write(shown, std::strerror(errno));
}

/// Makes `to` hold what `from` holds, sharing the files themselves: hard links for files,
/// symbolic links and the like, new folders for folders. The originals are untouched, so a
/// failure or a kill midway loses nothing. A file system without hard links gets copies.
void keep_by_link(const fs::path &from, const fs::path &to) {
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(from, ec))) {
    fs::create_directory(to, from, ec); // with the original's permissions
    if (ec) throw fs::filesystem_error("cannot create", to, ec);
    for (const fs::directory_entry &entry : fs::directory_iterator(from))
      keep_by_link(entry.path(), to / entry.path().filename());
    return;
  }
  if (::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), 0) == 0) return;
  const int error = errno;
  if (error != EXDEV && error != EPERM && error != EMLINK && error != EOPNOTSUPP)
    throw fs::filesystem_error("cannot link", from, to,
                               std::error_code(error, std::generic_category()));
  fs::copy(from, to, fs::copy_options::copy_symlinks);
}

/// Swaps the folders `staged` and `target` (the same file system) in one step. Where the file
/// system has no atomic exchange, `target` is moved to `aside` and `staged` renamed in its
/// place: a process killed between the two leaves no folder at `target`, which the next write's
/// remove_stale_temporaries puts back. Returns the errno of a failure, 0 on success.
int swap_folders(const fs::path &staged, const fs::path &target, const fs::path &aside,
                 bool &moved_aside) {
  int error = 0;
  moved_aside = false;
  Temporary::publish([&] {
    if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0)
      return;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      error = errno;
      return;
    }
    if (::rename(target.c_str(), aside.c_str()) != 0) {
      error = errno;
      return;
    }
    moved_aside = true;
    if (::rename(staged.c_str(), target.c_str()) != 0) {
      error = errno;
      ::rename(aside.c_str(), target.c_str()); // the old results back
      moved_aside = false;
    }
  });
  return error;
}

/// The set written the way it was before folder swaps: each file to a temporary inside the
/// folder, then each renamed into place. For folders that cannot be swapped; a kill during the
/// renames leaves old and new files mixed (the CLI warns before it runs).
void replace_file_by_file(const fs::path &folder, const NamedFiles &files,
                          const std::vector<std::string> &retired) {
  std::vector<std::unique_ptr<Temporary>> written;
  for (const auto &[name, content] : files) {
    written.push_back(std::make_unique<Temporary>(fresh_temporary_path(folder / name)));
    write_whole(written.back()->path(), content, folder / name);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    Temporary::publish([&] { fs::rename(written[i]->path(), folder / files[i].first, ec); });
    if (ec) cannot_write(folder / files[i].first, ec.message());
  }
  for (const std::string &name : retired) {
    std::error_code ignored;
    fs::remove(folder / name, ignored);
  }
}

} // namespace

void prepare_output_folder(const fs::path &folder) {
  std::error_code ec;
  // A swap killed between its renames may have left the old results aside: back first.
  fs::path named = folder.lexically_normal();
  if (named.filename().empty()) named = named.parent_path(); // "results/"
  if (!named.empty()) remove_stale_temporaries(named);
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: is not a folder; expected a folder for the results", folder.string()));
  fs::create_directories(folder, ec);
  if (ec)
    throw OutputError(
        fmt::format("{}: cannot create the folder: {}", folder.string(), ec.message()));
  // A folder made read-only is not replaced by a writable one: refused, before any work.
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw OutputError(
        fmt::format("{}: cannot write into the folder: {}", folder.string(), std::strerror(errno)));
}

std::string why_replaced_file_by_file(const fs::path &folder) {
  std::error_code ec;
  const fs::path real = fs::canonical(folder, ec);
  if (ec) return {}; // not there yet: it will be created, and swapped
  const fs::path here = fs::canonical(fs::current_path(ec), ec);
  if (!ec) {
    // Swapped, the folder a shell stands in would be the removed old one.
    const fs::path inside = here.lexically_relative(real);
    if (!inside.empty() && *inside.begin() != "..")
      return inside == "." ? "it is the current folder" : "the current folder is inside it";
  }
  if (real == real.root_path()) return "it is the root folder";
  const fs::path parent = real.parent_path();
  struct stat self {};
  struct stat above {};
  // Unreadable, the folder fails later with the system's reason.
  if (::stat(real.c_str(), &self) != 0 || ::stat(parent.c_str(), &above) != 0) return {};
  if (self.st_dev != above.st_dev) return "it is a mount point";
  // In a folder like /tmp (sticky), only the owner of DIR or of the folder may rename DIR.
  const uid_t user = ::geteuid();
  if ((above.st_mode & S_ISVTX) && user != 0 && self.st_uid != user && above.st_uid != user)
    return fmt::format("it belongs to another user in the shared folder {}", parent.string());
  if (::access(parent.c_str(), W_OK | X_OK) != 0)
    return fmt::format("its folder {} cannot be written ({})", parent.string(),
                       std::strerror(errno));
  return {};
}

void check_output_file(const fs::path &path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw OutputError(fmt::format("{}: is a folder; expected a file name", path.string()));
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, ec))
    throw OutputError(
        fmt::format("{}: the folder {} does not exist", path.string(), folder.string()));
  // The file is replaced by a rename: over a device or a pipe (/dev/null, /dev/stdout) that
  // would put a regular file in its place.
  const fs::file_status status = fs::status(path, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw OutputError(fmt::format("{}: is not a regular file; expected a file name (the file is "
                                  "written beside it and renamed into place)",
                                  path.string()));
}

void write_result_set(const fs::path &folder, const NamedFiles &files,
                      const std::vector<std::string> &retired) {
  prepare_output_folder(folder);
  if (!why_replaced_file_by_file(folder).empty())
    return replace_file_by_file(folder, files, retired);

  // The folder itself, through any symbolic link to it: a link named by --out stays a link.
  std::error_code ec;
  const fs::path target = fs::canonical(folder, ec);
  if (ec) cannot_write(folder, ec.message());
  remove_stale_temporaries(target);
  std::set<std::string> of_the_set(retired.begin(), retired.end());
  for (const auto &file : files) {
    of_the_set.insert(file.first);
    remove_stale_temporaries(target / file.first); // left by versions that wrote in place
  }

  Temporary staged(temporary_path(target));
  Temporary aside(staged.path().string() + ".old");
  fs::create_directory(staged.path(), ec);
  if (ec) cannot_write(folder, ec.message());
  for (const auto &[name, content] : files)
    write_whole(staged.path() / name, content, folder / name);
  try {
    for (const fs::directory_entry &entry : fs::directory_iterator(target))
      if (!of_the_set.count(entry.path().filename().string()))
        keep_by_link(entry.path(), staged.path() / entry.path().filename());
    fs::permissions(staged.path(), fs::status(target).permissions());
  } catch (const fs::filesystem_error &e) {
    throw OutputError(fmt::format("{}: cannot keep what the folder holds beside the results: {}",
                                  folder.string(), e.code().message()));
  }

  bool moved_aside = false;
  if (const int error = swap_folders(staged.path(), target, aside.path(), moved_aside))
    cannot_write(folder, std::strerror(error));
  // Anything another program put into the old folder while the new one was being made.
  const fs::path old = moved_aside ? aside.path() : staged.path();
  for (const fs::directory_entry &entry : fs::directory_iterator(old, ec)) {
    const fs::path name = entry.path().filename();
    if (!of_the_set.count(name.string()) && !fs::exists(fs::symlink_status(target / name)))
      fs::rename(entry.path(), target / name, ec);
  }
  // The old folder goes with `staged` or `aside`.
}

void write_file_atomically(const fs::path &path, std::string_view content) {
  const Temporary temporary(fresh_temporary_path(path));
  write_whole(temporary.path(), content, path);
  std::error_code ec;
  Temporary::publish([&] { fs::rename(temporary.path(), path, ec); });
  if (ec) cannot_write(path, ec.message());
}

AtomicFile::AtomicFile(fs::path final_path, std::string what)
    : final_(std::move(final_path)), what_(std::move(what)),
      temporary_(fresh_temporary_path(final_)) {
  out_.open(temporary_.path(), std::ios::binary | std::ios::trunc);
  if (!out_) fail(std::strerror(errno));
}

void AtomicFile::fail(const std::string &reason) {
  throw OutputError(fmt::format("{}: cannot write {}: {}", final_.string(), what_, reason));
}

void AtomicFile::commit() {
  out_.flush();
  if (!out_) fail(std::strerror(errno));
  out_.close();
  if (!out_) fail(std::strerror(errno));
  std::error_code ec;
  Temporary::publish([&] { fs::rename(temporary_.path(), final_, ec); });
  if (ec) fail(ec.message());
}

} // namespace supportsim::analysis
