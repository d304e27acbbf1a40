// Pieces shared by the HCS document builders (and the HCN ones, which build on them).
#pragma once

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <string_view>

namespace silo::hcs::parts {

// A JSON value as a successful Result (json converts from almost anything, so the implicit
// conversion is ambiguous).
inline Result<nlohmann::ordered_json> ok(nlohmann::ordered_json value) {
  return Result<nlohmann::ordered_json>(boost::system::in_place_value, std::move(value));
}

nlohmann::ordered_json schema_version();  // { "Major": 2, "Minor": 1 }

// 8-4-4-4-12 hex digits; `field` names the input in the message.
Result<void> check_guid(std::string_view field, std::string_view value);

// \\?\Volume{GUID}\ (trailing backslash added when missing), as hcsshim requires for Argon.
Result<std::string> volume_path(std::string_view value);

bool is_named_pipe(std::string_view path);  // \\.\pipe\...

// RegistryChanges every hcsshim container gets: WaitToKillServiceTimeout = "2147483647", so a
// graceful stop waits for the container's services as long as the caller asked, not 20 s.
nlohmann::ordered_json container_registry_changes();

}  // namespace silo::hcs::parts
