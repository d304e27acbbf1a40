// How a handler answers. Most handlers send one full Response; streaming handlers (/v1/events,
// later logs and attach) begin a chunked stream, write chunks as data arrives, and end it. Between
// chunks they wait() for a wake-up from another thread (the waker), a deadline, or the connection
// closing (client gone, daemon shutting down).
#pragma once

#include "api/http/request.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace silo::api {

namespace asio = boost::asio;

enum class WakeReason { woken, deadline, closing };

class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;

  // Sends a complete response. Call at most once, and not after begin_stream.
  virtual asio::awaitable<void> send(Response response) = 0;

  // Starts a chunked response. Returns false when the client is gone; the handler should return.
  virtual asio::awaitable<bool> begin_stream(http::status status, std::string content_type) = 0;
  // One chunk, flushed before this returns. False when the client is gone or too slow to read.
  virtual asio::awaitable<bool> write_chunk(std::string data) = 0;
  // Ends the stream; called by the session if the handler did not.
  virtual asio::awaitable<void> end_stream() = 0;

  // A thread-safe callable that makes a pending (or the next) wait() return woken.
  virtual std::function<void()> waker() = 0;
  // Waits for a wake-up, for `timeout` (none: no deadline), or until the connection must close.
  virtual asio::awaitable<WakeReason> wait(std::optional<std::chrono::nanoseconds> timeout) = 0;
};

}  // namespace silo::api
