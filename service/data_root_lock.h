// One daemon per data root: an exclusive lock on DATA_ROOT/silod.lock, held for the daemon's life
// (flock on Linux, LockFileEx on Windows; the kernel drops either when the process dies, so a crash
// never leaves a stale lock). The file holds the owner's pid so the refusal can name it.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <string>

namespace silo::service {

class DataRootLock {
 public:
  static Result<DataRootLock> acquire(const std::string& data_root);

  DataRootLock(DataRootLock&& other) noexcept : native_(other.native_) { other.native_ = kNone; }
  DataRootLock& operator=(DataRootLock&&) = delete;
  ~DataRootLock();

 private:
  // A file descriptor (posix) or a HANDLE (Windows); -1 is neither's valid value.
  static constexpr std::intptr_t kNone = -1;
  explicit DataRootLock(std::intptr_t native) : native_(native) {}
  std::intptr_t native_ = kNone;
};

}  // namespace silo::service
