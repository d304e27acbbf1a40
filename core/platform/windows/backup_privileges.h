// SeBackupPrivilege and SeRestorePrivilege for the calling thread, as hcsshim takes them around a
// layer import (winio.RunWithPrivileges): writing a base layer's files with their own security
// descriptors (BackupWrite with FILE_FLAG_BACKUP_SEMANTICS) and HCS's layer processing need both.
// LocalSystem and administrators hold them, disabled; they are enabled on a copy of the process
// token that only this thread uses (ImpersonateSelf), so no other thread of silod runs with them,
// and the thread stops impersonating when the object goes away.
#pragma once

#include "core/errors.h"

namespace silo::platform::windows {

class BackupPrivileges {
 public:
  // Enables both privileges on this thread. permission_denied, naming the privilege, when the
  // account silod runs as does not hold it.
  static Result<BackupPrivileges> enable();

  BackupPrivileges(BackupPrivileges&& other) noexcept;
  BackupPrivileges& operator=(BackupPrivileges&&) = delete;
  BackupPrivileges(const BackupPrivileges&) = delete;
  BackupPrivileges& operator=(const BackupPrivileges&) = delete;
  ~BackupPrivileges();  // RevertToSelf on the thread that enabled them

 private:
  BackupPrivileges() = default;
  bool impersonating_ = false;
};

}  // namespace silo::platform::windows
