#include "storage/layers/byte_source.h"

#include <algorithm>
#include <cstring>

namespace silo::layers {

Result<std::size_t> MemorySource::read(std::span<char> out) {
  std::size_t n = std::min(out.size(), data_.size());
  if (n > 0) std::memcpy(out.data(), data_.data(), n);
  data_ = data_.subspan(n);
  return n;
}

}  // namespace silo::layers
