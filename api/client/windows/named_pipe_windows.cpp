// Dialing the daemon's named pipe (\\.\pipe\NAME). Every pipe instance may be busy serving other
// clients; the daemon always keeps one more waiting, but between a client taking it and the daemon
// creating the next one a dial can see ERROR_PIPE_BUSY. Then WaitNamedPipe waits for a free
// instance, and the dial retries, all within the connect timeout.
#include "api/client/detail/any_stream.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <algorithm>
#include <chrono>

namespace silo::client::detail {
namespace {

using Clock = std::chrono::steady_clock;
namespace win = silo::platform::windows;

// A bound on attempts besides the time bound, so a pipe that flaps between busy and free cannot spin.
constexpr int kMaxAttempts = 64;

std::wstring widen(const std::string& text) {
  if (text.empty()) return {};
  const int size = static_cast<int>(text.size());
  const int chars = MultiByteToWideChar(CP_UTF8, 0, text.data(), size, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(chars > 0 ? chars : 0), L'\0');
  if (chars > 0) MultiByteToWideChar(CP_UTF8, 0, text.data(), size, out.data(), chars);
  return out;
}

ClientError dial_failed(const Endpoint& endpoint, DWORD error) {
  const std::string what = "dial " + endpoint.to_string();
  if (error == ERROR_FILE_NOT_FOUND) {
    return unreachable(win::win32_error(Errc::unavailable, what + " (no daemon serves this pipe)", error));
  }
  return unreachable(win::win32_error(win::errc_for_win32(error, Errc::unavailable), what, error));
}

}  // namespace

ClientResult<AnyStream> connect_named_pipe(boost::asio::io_context& ioc, const Endpoint& endpoint,
                                           const Timeouts& timeouts) {
  const std::wstring name = widen(endpoint.path);
  const auto deadline = Clock::now() + timeouts.connect;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    // Identification level: the daemon may read who we are (for authorization) but may not act as us.
    HANDLE pipe = CreateFileW(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
    if (pipe != INVALID_HANDLE_VALUE) {
      return AnyStream(std::in_place_type<PipeStream>, ioc.get_executor(), pipe);
    }
    const DWORD error = GetLastError();
    if (error != ERROR_PIPE_BUSY) return dial_failed(endpoint, error);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    // Returns early when an instance frees up; its own failure (timeout) just leads to the next try.
    WaitNamedPipeW(name.c_str(), static_cast<DWORD>(std::min<std::int64_t>(left.count(), 1000)));
  }
  return unreachable(make_error(Errc::unavailable, "dial " + endpoint.to_string() + ": every pipe instance stayed busy for " +
                                                       std::to_string(timeouts.connect.count()) + " ms"));
}

}  // namespace silo::client::detail
