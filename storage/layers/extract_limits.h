// Bounds on one layer import. Every one is configurable (silod's config maps them); the defaults
// suit base images of a few GiB. Exceeding one aborts the import and leaves nothing behind.
#pragma once

#include <cstdint>

namespace silo::layers {

struct ExtractLimits {
  std::uint64_t max_stream_bytes = 16ULL << 30;  // uncompressed tar bytes (also bounds gzip bombs)
  std::uint64_t max_file_bytes = 8ULL << 30;     // one regular file
  std::uint64_t max_entries = 1'000'000;         // tar entries of any kind
  std::uint64_t max_path_bytes = 4095;           // one entry or link name (PATH_MAX - 1)
};

}  // namespace silo::layers
