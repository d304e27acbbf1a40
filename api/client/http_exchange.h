// One HTTP/1.1 request and its response over a fresh connection to the daemon, with timeouts on
// connect and on every read and write. The body is handed over piece by piece as it arrives, so a
// follow=true event stream is read line by line while the daemon keeps the connection open.
#pragma once

#include "api/client/client_error.h"
#include "api/client/host.h"

#include <chrono>
#include <functional>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silo::client {

struct Timeouts {
  std::chrono::milliseconds connect{5000};
  // For every read and write of a request whose answer is bounded.
  std::chrono::milliseconds io{30000};
};

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // "/v1/events?since=..."
  std::string body;
  std::string content_type;  // sent only with a body
  // Streams that wait for events (follow=true) may stay silent for as long as nothing happens.
  bool unbounded_body_wait = false;
};

struct HttpHead {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;

  // The first value of a header, compared case-insensitively; empty when absent.
  std::string header(std::string_view name) const;
};

struct HttpResponse {
  HttpHead head;
  std::string body;
};

// Return false to stop reading (the connection is then closed).
using BodySink = std::function<bool(std::string_view piece)>;

// Supplies a streamed request body: fills `buffer` and returns how many bytes it wrote; 0 ends the
// body. An error aborts the request.
using BodySource = std::function<ClientResult<std::size_t>(std::span<char> buffer)>;

class HttpExchange {
 public:
  HttpExchange(Endpoint endpoint, Timeouts timeouts, std::string user_agent);

  // Reads the whole response; a body over max_body_bytes is a protocol error.
  ClientResult<HttpResponse> send(const HttpRequest& request, std::size_t max_body_bytes = 16u << 20) const;

  // Calls on_head once the status line and headers are in, then on_body for each body piece.
  ClientResult<HttpHead> stream(const HttpRequest& request, const std::function<void(const HttpHead&)>& on_head,
                                const BodySink& on_body) const;

  // Sends the body from `source` as it is read (Content-Length when known, chunked otherwise),
  // then reads the whole answer (upload.cpp).
  ClientResult<HttpResponse> upload(const HttpRequest& request, const BodySource& source,
                                    std::optional<std::uint64_t> content_length,
                                    std::size_t max_body_bytes = 16u << 20) const;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  Timeouts timeouts_;
  std::string user_agent_;
};

}  // namespace silo::client
