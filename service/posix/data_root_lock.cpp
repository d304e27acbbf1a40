#include "service/data_root_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace silo::service {

Result<DataRootLock> DataRootLock::acquire(const std::string& data_root) {
  std::string path = data_root + "/silod.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return errno_error(Errc::failed_precondition, "cannot open " + path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::array<char, 32> owner{};
    auto n = ::pread(fd, owner.data(), owner.size() - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      std::string pid = n > 0 ? std::string(owner.data(), static_cast<std::size_t>(n)) : "unknown";
      return make_error(Errc::already_exists,
                        "another silod (pid " + pid + ") is using data root " + data_root + "; stop it or choose another --data-root");
    }
    return errno_error(Errc::failed_precondition, "cannot lock " + path, err);
  }
  std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    int err = errno;
    ::close(fd);
    return errno_error(Errc::failed_precondition, "cannot write " + path, err);
  }
  return DataRootLock(fd);
}

DataRootLock::~DataRootLock() {
  if (native_ != kNone) ::close(static_cast<int>(native_));
}

}  // namespace silo::service
