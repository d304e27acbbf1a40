// Request ids: a client-supplied X-Request-Id is echoed when it is safe to put in logs and headers
// (1-128 of [A-Za-z0-9._:-]); otherwise silod makes one (32 random hex characters).
#pragma once

#include <string>
#include <string_view>

namespace silo::api {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

bool is_valid_request_id(std::string_view text) noexcept;
std::string new_request_id();
std::string choose_request_id(std::string_view supplied);

}  // namespace silo::api
