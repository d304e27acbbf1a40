// The Windows body of atomic_file.h: write a sibling, FlushFileBuffers, then MoveFileExW with
// REPLACE_EXISTING | WRITE_THROUGH, which returns only once the rename is on disk (the Windows
// counterpart of fsync on the directory).
#include "core/platform/atomic_file.h"

#include "core/platform/windows/unique_handle.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <fstream>
#include <sstream>

namespace silo::platform {

namespace {

using windows::UniqueHandle;

Result<void> write_all(HANDLE file, std::string_view content, const std::string& what) {
  while (!content.empty()) {
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(content.size(), 1u << 30));
    DWORD written = 0;
    if (!WriteFile(file, content.data(), chunk, &written, nullptr)) return windows::last_win32_error("write " + what);
    content.remove_prefix(written);
  }
  return {};
}

}  // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content, Durability durability) {
  const bool sync = durability == Durability::host_crash;
  const std::filesystem::path temp = path.native() + L".tmp";
  const std::string what = temp.string();
  UniqueHandle file(CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file) return windows::last_win32_error("create " + what);
  auto written = write_all(file.get(), content, what);
  // The data must be on disk before the rename makes it visible.
  if (written && sync && !FlushFileBuffers(file.get())) written = windows::last_win32_error("flush " + what);
  file.reset();
  if (!written) {
    DeleteFileW(temp.c_str());
    return written.error();
  }
  const DWORD flags = MOVEFILE_REPLACE_EXISTING | (sync ? MOVEFILE_WRITE_THROUGH : 0);
  if (!MoveFileExW(temp.c_str(), path.c_str(), flags)) {
    auto error = windows::last_win32_error("rename " + what + " to " + path.string());
    DeleteFileW(temp.c_str());
    return error;
  }
  return {};
}

Result<std::string> read_small_file(const std::filesystem::path& path) {
  UniqueHandle file(CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file) return windows::last_win32_error("read " + path.string());
  std::string text;
  char buffer[16384];
  for (;;) {
    DWORD n = 0;
    if (!ReadFile(file.get(), buffer, sizeof buffer, &n, nullptr)) return windows::last_win32_error("read " + path.string());
    if (n == 0) break;
    text.append(buffer, n);
  }
  return text;
}

}  // namespace silo::platform
