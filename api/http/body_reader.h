// How a streaming-body route reads its request body: piece by piece as it arrives, instead of the
// session reading it whole first (Router::add_streaming). Each read runs under the body timeout;
// the route's own body limit bounds the total.
#pragma once

#include "api/http/request.h"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>
#include <span>

namespace silo::api {

struct BodyRead {
  std::size_t bytes = 0;  // bytes placed in the buffer; 0 with ok: the body is complete
  bool ok = true;
  // When !ok: the answer to send (413 over the limit, 408 too slow, 400 malformed), or nothing
  // when the client is gone and no answer can reach it.
  std::optional<Response> answer;
};

class BodyReader {
 public:
  virtual ~BodyReader() = default;
  virtual boost::asio::awaitable<BodyRead> read_some(std::span<char> buffer) = 0;
};

}  // namespace silo::api
