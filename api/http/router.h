// Maps (method, path pattern) to a handler. Patterns are literal segments or "{name}" captures of
// one segment ("/v1/containers/{id}/start"). An unknown path is 404; a known path with another
// method is 405 with an Allow header listing the methods it has.
#pragma once

#include "api/http/access_control.h"
#include "api/http/request.h"
#include "api/http/response_writer.h"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace silo::api {

// A streaming-capable handler: answers through the writer.
using Handler = std::function<asio::awaitable<void>(const Request&, ResponseWriter&)>;
// A handler that computes one full response without waiting on I/O.
using PlainHandler = std::function<Response(const Request&)>;

struct Route {
  http::verb method = http::verb::get;
  std::string pattern;
  Handler handler;
  // Body bound for this route; empty means Limits::max_body_bytes. Layer import will raise it.
  std::optional<std::size_t> max_body_bytes;
  // The handler reads the body itself through Request::body_reader (add_streaming).
  bool streaming_body = false;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> path_params;
};

class Router {
 public:
  void add(http::verb method, std::string pattern, Handler handler, std::optional<std::size_t> max_body_bytes = {});
  void add_plain(http::verb method, std::string pattern, PlainHandler handler);
  // A route whose handler streams its request body (uploads): the session reads only the header,
  // and the handler pulls the body with `co_await request.body_reader->read_some(buffer)`, up to
  // max_body_bytes in total, under the body timeout per read.
  void add_streaming(http::verb method, std::string pattern, Handler handler, std::size_t max_body_bytes);

  // The route, or the 404/405 error response to send.
  std::variant<RouteMatch, Response> match(http::verb method, std::string_view path) const;

  // Every request dispatch runs passes through it (authorization and audit); none: all may run.
  void set_access_control(std::shared_ptr<AccessControl> control) { access_control_ = std::move(control); }
  AccessControl* access_control() const noexcept { return access_control_.get(); }

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  std::shared_ptr<AccessControl> access_control_;
};

// Routes the request, lets the router's AccessControl authorize it (a refusal is sent instead of
// running the handler), runs the matched handler (or answers 404/405), turns an escaped exception
// into a 500 so a handler bug costs one request, never the daemon, and then has the AccessControl
// record the outcome.
asio::awaitable<void> dispatch(const Router& router, Request& request, ResponseWriter& writer);

// After the session answered `status` itself without dispatching (413 for a body over the limit,
// 400 for a target that does not parse): records it in the audit trail when the request would have
// changed state, so a refused upload still shows who tried what from where.
asio::awaitable<void> record_rejected(const Router& router, Request& request, http::status status);

}  // namespace silo::api
