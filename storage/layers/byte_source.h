// A pull-style byte stream: the request body of an upload, a file, or a test buffer. Extraction
// reads a layer through this, so the body is never held whole in memory.
#pragma once

#include "core/errors.h"

#include <cstddef>
#include <span>

namespace silo::layers {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to out.size() bytes; 0 means the stream ended. Blocks until data, end or error.
  virtual Result<std::size_t> read(std::span<char> out) = 0;
};

// A source over bytes already in memory (tests, fuzzing).
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const char> data) : data_(data) {}
  Result<std::size_t> read(std::span<char> out) override;

 private:
  std::span<const char> data_;
};

}  // namespace silo::layers
