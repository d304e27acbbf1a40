// Reading what HCS sends back: result documents of failed calls (ResultError), exit payloads
// (SystemExitStatus, ProcessStatus) and Statistics properties. Portable, so the Linux build tests
// the parsing of every shape HCS is documented to send; the Windows client feeds it real text.
#pragma once

#include "core/clock.h"
#include "core/engine/backend.h"
#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace silo::hcs {

// HCS HRESULTs silo reacts to (docs: Reference/HCSHResult.md). The 0xC037 forms are vmcompute's
// older spellings of the same conditions, which current hosts still send in places.
namespace hresult {
inline constexpr std::int32_t kOk = 0;
inline constexpr std::int32_t kInvalidState = static_cast<std::int32_t>(0x80370105);
inline constexpr std::int32_t kInvalidJson = static_cast<std::int32_t>(0x8037010D);
inline constexpr std::int32_t kSystemNotFound = static_cast<std::int32_t>(0x8037010E);
inline constexpr std::int32_t kSystemAlreadyExists = static_cast<std::int32_t>(0x8037010F);
inline constexpr std::int32_t kSystemAlreadyStopped = static_cast<std::int32_t>(0x80370110);
inline constexpr std::int32_t kOperationPending = static_cast<std::int32_t>(0x80370117);
inline constexpr std::int32_t kOperationTimeout = static_cast<std::int32_t>(0x80370118);
inline constexpr std::int32_t kAccessDenied = static_cast<std::int32_t>(0x8037011B);
inline constexpr std::int32_t kServiceDisconnect = static_cast<std::int32_t>(0x8037011E);
inline constexpr std::int32_t kProcessAlreadyStopped = static_cast<std::int32_t>(0x8037011F);
inline constexpr std::int32_t kVmcomputeNotFound = static_cast<std::int32_t>(0xC037010E);
inline constexpr std::int32_t kVmcomputeAlreadyStopped = static_cast<std::int32_t>(0xC0370110);
inline constexpr std::int32_t kElementNotFound = static_cast<std::int32_t>(0x80070490);
}  // namespace hresult

// The Errc a caller means by an HCS HRESULT (system not found -> not_found, already stopped ->
// failed_precondition, access denied -> permission_denied, timeouts and a lost service ->
// unavailable, bad JSON -> invalid_argument); internal for anything else.
Errc errc_for_hresult(std::int32_t hr) noexcept;

// True for "already stopped" / "does not exist" answers, which shutdown and terminate ignore.
bool is_already_stopped(std::int32_t hr) noexcept;

// "<what>: <HCS's ErrorMessage, or system_text> [<ErrorEvents messages>] (HRESULT 0x8037010E)".
// `result_document` is the text HCS returned with the failure (may be empty or not JSON).
Error hcs_error(std::string_view what, std::int32_t hr, std::string_view result_document,
                std::string_view system_text);

struct SystemExit {
  std::int32_t status = 0;  // HRESULT
  std::string exit_type;    // GracefulExit, ForcedExit, UnexpectedExit, None, Unknown
  bool unexpected() const { return exit_type == "UnexpectedExit"; }
};
// SystemExitStatus; an empty or unreadable document gives Unknown with status 0.
SystemExit parse_system_exit(std::string_view document);

struct ProcessExit {
  std::uint32_t process_id = 0;
  bool exited = false;
  std::optional<std::uint32_t> exit_code;  // only when Exited and LastWaitResult is S_OK
  std::int32_t last_wait_result = 0;
};
ProcessExit parse_process_exit(std::string_view document);

// Properties with Statistics (and ProcessList, when asked) as ContainerStats: CPU time in ns from
// TotalRuntime100ns, memory = private working set (what docker stats shows on Windows), pids =
// the ProcessList entries. invalid_argument when the document has no Statistics object.
Result<engine::ContainerStats> container_stats_from_properties(std::string_view document, TimeNs read_at);

// The property query for container_stats_from_properties.
std::string statistics_query();

}  // namespace silo::hcs
