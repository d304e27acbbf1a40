// Reads a request body that must be JSON: the Content-Type must be application/json (415
// otherwise), nesting must stay within the configured depth (400), and the text must parse (400).
// The body size was already bounded by the session (413).
#pragma once

#include "api/http/request.h"
#include "api/http/response_writer.h"
#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <variant>

namespace silo::api {

// Nesting depth of arrays/objects in JSON text, counted without parsing (strings are skipped), so
// the depth check happens before any recursive work. Stops counting past `limit`.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit) noexcept;

// The parsed body, or the error response to send.
std::variant<nlohmann::json, Response> parse_json_body(const Request& request, std::size_t max_depth);

}  // namespace silo::api
