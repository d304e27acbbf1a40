// Win32 errors and HRESULTs as silo Errors (design.md, "Errors": platform errors carry the number and
// its text). The Windows twin of errno_error in core/errors.h; no <windows.h> here, so callers that
// only report errors need not include it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/errors.h"

namespace silo::platform::windows {

// The system's text for a Win32 error code or an HRESULT, from FormatMessageW, as UTF-8 without the
// trailing period and line break; "no system message" when the system has none for it.
std::string system_message(std::uint32_t code);

// The Errc a caller usually means by a Win32 error (file not found -> not_found, access denied ->
// permission_denied, ...); `fallback` for codes with no obvious class.
Errc errc_for_win32(std::uint32_t win32_error, Errc fallback) noexcept;

// "<what>: <system text> (Win32 error N)".
Error win32_error(Errc code, std::string_view what, std::uint32_t win32_error);

// win32_error for GetLastError(), with the Errc from errc_for_win32; call it right after the
// failed call, before anything else can overwrite the thread's last error.
Error last_win32_error(std::string_view what, Errc fallback = Errc::internal);

// "<what>: <system text> (HRESULT 0x80070005)"; HCS and COM report HRESULTs.
Error hresult_error(Errc code, std::string_view what, std::int32_t hresult);

}  // namespace silo::platform::windows
