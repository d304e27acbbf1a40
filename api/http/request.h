// What a handler sees of a request, and what it answers with.
#pragma once

#include "api/transport/peer.h"
#include "core/model/identity.h"

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silo::api {

namespace http = boost::beast::http;

// Query parameters in the order given, percent-decoded. A name may repeat.
class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(std::vector<std::pair<std::string, std::string>> items) : items_(std::move(items)) {}

  // The last value given for name, as most HTTP APIs (and docker's) read a repeated parameter.
  std::optional<std::string> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const noexcept { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

class BodyReader;

struct Request {
  http::verb method = http::verb::unknown;
  std::string method_text;  // as sent, for logs and unknown verbs
  std::string target;       // raw request target
  std::string path;         // percent-decoded path, without the query
  QueryParams query;
  http::fields headers;
  std::vector<std::pair<std::string, std::string>> path_params;  // "{id}" captures of the route
  std::string body;             // empty for streaming-body routes, which read through body_reader
  BodyReader* body_reader = nullptr;  // set only for routes added with Router::add_streaming
  std::string request_id;
  PeerIdentity peer;
  // Who the peer is and its role, set by the router's access check (AccessControl) before the
  // handler runs; read-only and unnamed when no access control is installed.
  Identity identity;
  unsigned version = 11;  // 10 or 11

  std::optional<std::string> path_param(std::string_view name) const;
};

struct Response {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Allow
};

}  // namespace silo::api
