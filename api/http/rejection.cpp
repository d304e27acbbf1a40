#include "api/http/session_io.h"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace silo::api {

std::optional<Response> rejection_for(boost::system::error_code ec, std::string_view timeout_phase, const Limits& limits) {
  if (timeout_phase == "header" || timeout_phase == "body") {
    auto limit = timeout_phase == "header" ? limits.header_timeout : limits.body_timeout;
    return error_response(http::status::request_timeout, Errc::invalid_argument,
                          "request " + std::string(timeout_phase) + " not received within " +
                              std::to_string(limit.count()) + " ms; closing the connection");
  }
  if (ec == http::error::header_limit) {
    return error_response(http::status::request_header_fields_too_large, Errc::invalid_argument,
                          "request headers exceed the limit of " + std::to_string(limits.max_header_bytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return error_response(http::status::payload_too_large, Errc::invalid_argument,
                          "request body exceeds the limit of " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (ec == http::error::partial_message) {
    // The client half-closed mid-request; it may still be reading, so say why.
    return error_response(http::status::bad_request, Errc::invalid_argument, "request ended before its body was complete");
  }
  if (ec == http::error::end_of_stream || !timeout_phase.empty()) return std::nullopt;
  if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
    return error_response(http::status::bad_request, Errc::invalid_argument, "malformed HTTP request: " + ec.message());
  }
  return std::nullopt;  // network errors: nobody to answer
}

}  // namespace silo::api
