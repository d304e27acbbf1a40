// Splits a byte stream into NDJSON lines as the pieces arrive, so each event is handled the moment
// its newline does, however the transport cuts the stream.
#pragma once

#include "core/errors.h"

#include <functional>
#include <string>
#include <string_view>

namespace silo::client {

class NdjsonSplitter {
 public:
  explicit NdjsonSplitter(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls on_line for every complete non-empty line (without "\n" or "\r\n"). Returns false when
  // on_line asked to stop, and an invalid_argument error when a line exceeds the bound.
  Result<bool> feed(std::string_view piece, const std::function<bool(std::string_view)>& on_line);

  // Bytes of an unfinished line held back.
  std::size_t pending() const { return partial_.size(); }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
};

}  // namespace silo::client
