#include "storage/layers/byte_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace silo::layers {

Result<std::size_t> MemorySource::read(std::span<char> out) {
  std::size_t n = std::min(out.size(), data_.size());
  if (n > 0) std::memcpy(out.data(), data_.data(), n);
  data_ = data_.subspan(n);
  return n;
}

Result<std::size_t> FdSource::read(std::span<char> out) {
  for (;;) {
    ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return errno_error(Errc::internal, "cannot read the layer stream", errno);
  }
}

}  // namespace silo::layers
