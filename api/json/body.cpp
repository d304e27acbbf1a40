#include "api/json/body.h"

#include "api/http/error_response.h"

#include <boost/algorithm/string/predicate.hpp>

namespace silo::api {

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) noexcept {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

namespace {

bool is_json_content_type(std::string_view value) {
  auto semicolon = value.find(';');
  auto media = value.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return boost::algorithm::iequals(media, "application/json");
}

}  // namespace

std::variant<nlohmann::json, Response> parse_json_body(const Request& request, std::size_t max_depth) {
  auto content_type = request.headers[http::field::content_type];
  if (!is_json_content_type(std::string_view(content_type.data(), content_type.size()))) {
    return error_response(http::status::unsupported_media_type, Errc::invalid_argument,
                          "request body must be JSON: send Content-Type: application/json (got \"" +
                              std::string(content_type) + "\")");
  }
  if (json_nesting_depth(request.body, max_depth) > max_depth) {
    return error_response(http::status::bad_request, Errc::invalid_argument,
                          "JSON body nests deeper than the limit of " + std::to_string(max_depth) + " levels");
  }
  auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return error_response(http::status::bad_request, Errc::invalid_argument, "request body is not valid JSON");
  }
  return parsed;
}

}  // namespace silo::api
