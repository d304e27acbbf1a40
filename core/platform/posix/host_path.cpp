#include "core/platform/host_path.h"

#include "core/model/message_text.h"

#include <cerrno>
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace silo::platform {

Result<PinnedHostPath> PinnedHostPath::open(const std::string& path) {
  PinnedHostPath pinned;
  pinned.fd_ = ::open(path.c_str(), O_PATH | O_CLOEXEC);
  if (pinned.fd_ < 0) {
    const int err = errno;
    return errno_error(err == ENOENT ? Errc::not_found : Errc::invalid_argument, message::quoted(path), err);
  }
  const std::string link = "/proc/self/fd/" + std::to_string(pinned.fd_);
  char target[PATH_MAX + 1];
  const ssize_t length = ::readlink(link.c_str(), target, PATH_MAX);
  if (length <= 0) return errno_error(Errc::internal, "read " + link + " for " + message::quoted(path), errno);
  pinned.resolved_.assign(target, static_cast<std::size_t>(length));
  return pinned;
}

Result<std::string> PinnedHostPath::stage_at(const std::filesystem::path& where) {
  struct stat held {};
  if (::fstat(fd_, &held) != 0) return errno_error(Errc::internal, "examine " + message::quoted(resolved_), errno);
  const bool folder = S_ISDIR(held.st_mode);
  // The staging folder is silod's alone: nobody else may look at or swap what is staged there.
  std::error_code ec;
  std::filesystem::create_directories(where.parent_path(), ec);
  if (ec || ::chmod(where.parent_path().c_str(), 0700) != 0) {
    return make_error(Errc::internal, "make the staging folder " + where.parent_path().string() + ": " +
                                          (ec ? ec.message() : std::string("chmod failed")));
  }
  if (folder ? ::mkdir(where.c_str(), 0700) != 0 : false) {
    return errno_error(Errc::internal, "make " + where.string(), errno);
  }
  if (!folder) {
    const int made = ::open(where.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (made < 0) return errno_error(Errc::internal, "make " + where.string(), errno);
    ::close(made);
  }
  const std::string self = "/proc/self/fd/" + std::to_string(fd_);
  if (::mount(self.c_str(), where.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    const int err = errno;
    folder ? ::rmdir(where.c_str()) : ::unlink(where.c_str());
    return errno_error(Errc::internal, "bind " + message::quoted(resolved_) + " at " + where.string(), err);
  }
  staged_ = where;
  return where.string();
}

void PinnedHostPath::unstage() noexcept {
  if (staged_.empty()) return;
  ::umount2(staged_.c_str(), MNT_DETACH);
  std::error_code ignored;
  std::filesystem::remove(staged_, ignored);  // an empty folder or file; never recursive
  staged_.clear();
}

void PinnedHostPath::clear_staging(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    ::umount2(entry.path().c_str(), MNT_DETACH);
    std::error_code ignored;
    std::filesystem::remove(entry.path(), ignored);
  }
}

PinnedHostPath::PinnedHostPath(PinnedHostPath&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      resolved_(std::move(other.resolved_)),
      staged_(std::exchange(other.staged_, {})) {}

PinnedHostPath& PinnedHostPath::operator=(PinnedHostPath&& other) noexcept {
  if (this != &other) {
    unstage();
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    resolved_ = std::move(other.resolved_);
    staged_ = std::exchange(other.staged_, {});
  }
  return *this;
}

PinnedHostPath::~PinnedHostPath() {
  unstage();
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace silo::platform
