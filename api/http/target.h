// Splits an HTTP request target ("/v1/events?since=1&filters=%7B...%7D") into the decoded path
// and query parameters, with Boost.URL's RFC 3986 grammar (origin-form only). Also the one reading
// of boolean query parameters: true/false/1/0.
#pragma once

#include "api/http/request.h"
#include "core/errors.h"

#include <string>
#include <string_view>

namespace silo::api {

struct Target {
  std::string path;
  QueryParams query;
};

Result<Target> parse_target(std::string_view target);

// `name` is the parameter, for the message.
Result<bool> parse_bool_param(std::string_view name, std::string_view value);

}  // namespace silo::api
