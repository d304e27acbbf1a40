#include "core/platform/windows/backup_privileges.h"

#include "core/platform/windows/unique_handle.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <utility>

namespace silo::platform::windows {
namespace {

Result<void> enable_privilege(HANDLE token, const wchar_t* name, const char* name_utf8) {
  TOKEN_PRIVILEGES privileges{};
  privileges.PrivilegeCount = 1;
  privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
  if (!LookupPrivilegeValueW(nullptr, name, &privileges.Privileges[0].Luid)) {
    return last_win32_error(std::string("cannot look up ") + name_utf8);
  }
  // Succeeds with ERROR_NOT_ALL_ASSIGNED when the token lacks the privilege: that is the refusal.
  if (!AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr)) {
    return last_win32_error(std::string("cannot enable ") + name_utf8);
  }
  if (GetLastError() == ERROR_NOT_ALL_ASSIGNED) {
    return make_error(Errc::permission_denied, std::string("silod's account does not hold ") + name_utf8 +
                                                   ", which writing and processing Windows layers needs; run silod as "
                                                   "LocalSystem (the service default) or an administrator");
  }
  return {};
}

}  // namespace

Result<BackupPrivileges> BackupPrivileges::enable() {
  if (!ImpersonateSelf(SecurityImpersonation)) return last_win32_error("cannot impersonate silod's own token");
  BackupPrivileges scope;
  scope.impersonating_ = true;  // from here on the destructor reverts, on every path out
  HANDLE raw = nullptr;
  if (!OpenThreadToken(GetCurrentThread(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, TRUE, &raw)) {
    return last_win32_error("cannot open the thread's token");
  }
  UniqueHandle token(raw);
  SILO_TRY(enable_privilege(token.get(), L"SeBackupPrivilege", "SeBackupPrivilege"));
  SILO_TRY(enable_privilege(token.get(), L"SeRestorePrivilege", "SeRestorePrivilege"));
  return scope;
}

BackupPrivileges::BackupPrivileges(BackupPrivileges&& other) noexcept
    : impersonating_(std::exchange(other.impersonating_, false)) {}

BackupPrivileges::~BackupPrivileges() {
  if (impersonating_) RevertToSelf();
}

}  // namespace silo::platform::windows
