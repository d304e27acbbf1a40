#include "service/data_root_lock.h"

#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <array>
#include <filesystem>

namespace silo::service {
namespace {

// The lock covers one byte far past the pid text: Windows byte-range locks are mandatory, so
// locking the text itself would keep a second silod from reading whose lock it met.
constexpr DWORD kLockOffsetHigh = 0x100;

std::string read_owner_pid(HANDLE file) {
  std::array<char, 32> owner{};
  DWORD read = 0;
  OVERLAPPED at{};
  if (!ReadFile(file, owner.data(), static_cast<DWORD>(owner.size() - 1), &read, &at) || read == 0) return "unknown";
  return std::string(owner.data(), read);
}

}  // namespace

Result<DataRootLock> DataRootLock::acquire(const std::string& data_root) {
  const auto path = std::filesystem::path(data_root) / "silod.lock";
  HANDLE file = CreateFileW(path.wstring().c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                            OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return platform::windows::last_win32_error("cannot open " + path.string(), Errc::failed_precondition);
  OVERLAPPED range{};
  range.OffsetHigh = kLockOffsetHigh;
  if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &range)) {
    const DWORD err = GetLastError();
    std::string pid = read_owner_pid(file);
    CloseHandle(file);
    if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING) {
      return make_error(Errc::already_exists,
                        "another silod (pid " + pid + ") is using data root " + data_root + "; stop it or choose another --data-root");
    }
    return platform::windows::win32_error(Errc::failed_precondition, "cannot lock " + path.string(), err);
  }
  const std::string pid = std::to_string(GetCurrentProcessId());
  DWORD written = 0;
  OVERLAPPED at{};
  if (!SetFilePointerEx(file, LARGE_INTEGER{}, nullptr, FILE_BEGIN) || !SetEndOfFile(file) ||
      !WriteFile(file, pid.data(), static_cast<DWORD>(pid.size()), &written, &at)) {
    auto error = platform::windows::last_win32_error("cannot write " + path.string(), Errc::failed_precondition);
    CloseHandle(file);
    return error;
  }
  return DataRootLock(reinterpret_cast<std::intptr_t>(file));
}

DataRootLock::~DataRootLock() {
  if (native_ != kNone) CloseHandle(reinterpret_cast<HANDLE>(native_));
}

}  // namespace silo::service
