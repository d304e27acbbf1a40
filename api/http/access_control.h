// The one place a request is authorized and audited: Router dispatch calls this after routing and
// before the handler, with exactly the Request the handler then runs (the same parsed target, path
// parameters and body; nothing is parsed twice). That is the lesson of CVE-2024-41110, where
// docker's authorization plugins saw a different (empty) body from the one the daemon used.
#pragma once

#include "api/http/request.h"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace silo::api {

struct Route;

class AccessControl {
 public:
  virtual ~AccessControl() = default;

  // Sets request.identity, then answers the refusal to send instead of running the handler, or
  // nothing when the request may run. route is null when no route matched (the router then answers
  // 404 or 405 itself).
  virtual std::optional<Response> authorize(Request& request, const Route* route) = 0;

  // Sets request.identity only: for a request the session refused before routing (a body over
  // the limit, a target that does not parse), which is still audited when it would have changed state.
  virtual void identify(Request& request) = 0;

  // Whether record() wants this request's outcome (mutating requests are audited, reads are not).
  virtual bool audited(const Request& request, const Route* route) const = 0;

  // Called once the answer is sent (or its stream ended): the status, and the body when it was one
  // complete response (empty for a stream).
  virtual boost::asio::awaitable<void> record(const Request& request, const Route* route, http::status status,
                                              const std::string& body) = 0;
};

}  // namespace silo::api
