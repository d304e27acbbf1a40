#include "api/http/error_response.h"

#include <nlohmann/json.hpp>

namespace silo::api {

http::status status_for(Errc code) noexcept {
  switch (code) {
    case Errc::not_found: return http::status::not_found;
    case Errc::already_exists: return http::status::conflict;
    case Errc::conflict: return http::status::conflict;
    case Errc::failed_precondition: return http::status::conflict;
    case Errc::invalid_argument: return http::status::bad_request;
    case Errc::permission_denied: return http::status::forbidden;
    case Errc::unavailable: return http::status::service_unavailable;
    case Errc::resource_exhausted: return http::status::too_many_requests;
    case Errc::internal: return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

Response error_response(const Error& error) { return error_response(status_for(error.code), error.code, error.message); }

Response error_response(http::status status, Errc code, std::string message) {
  nlohmann::json body{{"message", std::move(message)}, {"code", std::string(to_string(code))}};
  return json_response(status, body);
}

Response json_response(http::status status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  // replace: a handler never answers with bytes that are not valid UTF-8 JSON.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.body += '\n';
  return response;
}

}  // namespace silo::api
