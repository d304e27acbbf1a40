#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <cstdio>
#include <memory>

namespace silo::platform::windows {
namespace {

std::string to_utf8(std::wstring_view text) {
  if (text.empty()) return {};
  const int size = static_cast<int>(text.size());
  const int bytes = WideCharToMultiByte(CP_UTF8, 0, text.data(), size, nullptr, 0, nullptr, nullptr);
  if (bytes <= 0) return {};
  std::string out(static_cast<std::size_t>(bytes), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), size, out.data(), bytes, nullptr, nullptr);
  return out;
}

// FormatMessage ends its texts with ".\r\n"; the text is embedded in longer messages.
std::string trim_end(std::string text) {
  const auto last = text.find_last_not_of(". \r\n");
  text.erase(last == std::string::npos ? 0 : last + 1);
  return text;
}

struct LocalFreeDeleter {
  void operator()(wchar_t* p) const noexcept { LocalFree(p); }
};

}  // namespace

std::string system_message(std::uint32_t code) {
  wchar_t* raw = nullptr;
  // ALLOCATE_BUFFER takes a pointer to the pointer, passed through the LPWSTR parameter.
  const DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
      code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), reinterpret_cast<LPWSTR>(&raw), 0, nullptr);
  std::unique_ptr<wchar_t, LocalFreeDeleter> owned(raw);
  std::string text = length == 0 ? std::string{} : trim_end(to_utf8(std::wstring_view(raw, length)));
  return text.empty() ? "no system message" : text;
}

Errc errc_for_win32(std::uint32_t win32_error, Errc fallback) noexcept {
  switch (win32_error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_MOD_NOT_FOUND:
    case ERROR_PROC_NOT_FOUND:
    case ERROR_SERVICE_DOES_NOT_EXIST:
      return Errc::not_found;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
    case ERROR_SERVICE_EXISTS:
      return Errc::already_exists;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      return Errc::permission_denied;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
      return Errc::invalid_argument;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_DISK_FULL:
      return Errc::resource_exhausted;
    case ERROR_PIPE_BUSY:
    case ERROR_SERVICE_NOT_ACTIVE:
    case ERROR_CALL_NOT_IMPLEMENTED:
      return Errc::unavailable;
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
      return Errc::conflict;
    default:
      return fallback;
  }
}

Error win32_error(Errc code, std::string_view what, std::uint32_t win32_error) {
  return Error{code, std::string(what) + ": " + system_message(win32_error) + " (Win32 error " +
                         std::to_string(win32_error) + ")"};
}

Error last_win32_error(std::string_view what, Errc fallback) {
  const DWORD err = GetLastError();
  return win32_error(errc_for_win32(err, fallback), what, err);
}

Error hresult_error(Errc code, std::string_view what, std::int32_t hresult) {
  const auto bits = static_cast<std::uint32_t>(hresult);  // HRESULTs are read as hex: 0x80070005
  char number[16];
  std::snprintf(number, sizeof number, "0x%08lX", static_cast<unsigned long>(bits));
  return Error{code, std::string(what) + ": " + system_message(bits) + " (HRESULT " + number + ")"};
}

}  // namespace silo::platform::windows
