// The one mapping from silo's Errc to an HTTP status, and the one JSON error shape:
//   {"message": "...", "code": "not_found"}
// Choices (documented in openapi.yaml too): failed_precondition is 409 like conflict, because the
// client must change the object's state first (docker answers "container is not running" with
// 409); 412 is kept for HTTP conditional requests (If-Match), which silo does not use.
// resource_exhausted is 429, as gRPC's mapping has it: a limit was hit and a later retry may work.
#pragma once

#include "api/http/request.h"
#include "core/errors.h"

#include <nlohmann/json_fwd.hpp>

namespace silo::api {

http::status status_for(Errc code) noexcept;

// An error response with the status Errc maps to.
Response error_response(const Error& error);
// An error response with a protocol-specific status (405, 413, 415, 431, ...) and the Errc that
// names the class of failure in the body.
Response error_response(http::status status, Errc code, std::string message);

Response json_response(http::status status, const nlohmann::json& body);

}  // namespace silo::api
