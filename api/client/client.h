// The client library for silod's v1 REST API, used by siloctl and the integration tests. Every call
// opens its own connection, waits at most the configured timeouts (except while a follow=true event
// stream waits for the next event), and reports failures as ClientError (see client_error.h).
#pragma once

#include "api/client/client_error.h"
#include "api/client/host.h"
#include "api/client/http_exchange.h"
#include "api/client/types.h"

#include <functional>
#include <optional>
#include <string>

namespace silo::client {

struct ClientOptions {
  Endpoint endpoint;
  Timeouts timeouts;
  std::string user_agent = "silo-client";
  // Bound on one NDJSON event line; the daemon's events are far smaller.
  std::size_t max_event_line_bytes = 1u << 20;
};

// Return false to stop the stream early.
using EventCallback = std::function<bool(const Event& event)>;

class Client {
 public:
  explicit Client(ClientOptions options);

  // GET /_ping: succeeds when the daemon answers 200 "OK".
  ClientResult<void> ping() const;
  ClientResult<VersionInfo> version() const;
  ClientResult<SystemInfo> info() const;
  // Calls on_event for each event as its line arrives; returns when the daemon ends the stream (for
  // follow=true: at `until`), or when on_event returns false.
  ClientResult<void> events(const EventsQuery& query, const EventCallback& on_event) const;

  // Any request, answered whatever its status: for callers that need the raw HTTP exchange.
  ClientResult<HttpResponse> request(const HttpRequest& request) const;
  // A request whose body is streamed from `source` (a layer upload), answered whatever its status.
  // request.body is ignored. Unlike request(), the io timeout bounds each write and read, not the
  // whole upload.
  ClientResult<HttpResponse> upload(const HttpRequest& request, const BodySource& source,
                                    std::optional<std::uint64_t> content_length) const;

  const Endpoint& endpoint() const { return exchange_.endpoint(); }

 private:
  // GET whose 2xx answer is returned whole; a 4xx/5xx becomes Failure::daemon.
  ClientResult<HttpResponse> get_ok(const std::string& target) const;

  ClientOptions options_;
  HttpExchange exchange_;
};

// The daemon's error body {"message","code"} as a ClientError; anything else is a protocol error.
ClientError daemon_error(int status, std::string_view body);

}  // namespace silo::client
