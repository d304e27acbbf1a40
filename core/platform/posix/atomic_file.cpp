#include "core/platform/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace silo::platform {

namespace {

Result<void> write_all(int fd, std::string_view content, const std::string& what) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error(Errc::internal, "write " + what, errno);
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content, Durability durability) {
  const bool sync = durability == Durability::host_crash;
  const std::string temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return errno_error(Errc::internal, "create " + temp, errno);
  auto written = write_all(fd, content, temp);
  // The data must be on disk before the rename makes it visible, or a crash could leave an empty
  // file under the final name.
  if (written && sync && ::fsync(fd) != 0) written = errno_error(Errc::internal, "fsync " + temp, errno);
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return written.error();
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return errno_error(Errc::internal, "rename " + temp + " to " + path.string(), err);
  }
  if (!sync) return {};
  // The rename itself lives in the directory; sync it too so the new name survives a crash.
  const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return errno_error(err == ENOENT ? Errc::not_found : Errc::internal, "read " + path.string(), err);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace silo::platform
