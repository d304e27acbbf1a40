// One daemon per data root: an exclusive flock on DATA_ROOT/silod.lock, held for the daemon's life
// (the kernel drops it when the process dies, so a crash never leaves a stale lock). The file
// holds the owner's pid so the refusal can name it.
#pragma once

#include "core/errors.h"

#include <string>

namespace silo::service {

class DataRootLock {
 public:
  static Result<DataRootLock> acquire(const std::string& data_root);

  DataRootLock(DataRootLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataRootLock& operator=(DataRootLock&&) = delete;
  ~DataRootLock();

 private:
  explicit DataRootLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace silo::service
