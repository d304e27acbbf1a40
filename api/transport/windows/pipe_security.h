// The named pipe's security descriptor: Administrators and SYSTEM get full access
// (D:P(A;;GA;;;BA)(A;;GA;;;SY), as dockerd and wins use), and each configured group read/write
// (A;;GRGW;;;<SID>), so its members can call the API without being administrators. The "P"
// (protected) flag keeps inheritable ACEs from the pipe namespace out. A group name that does not
// resolve to a SID stops startup with that name, rather than silently serving a pipe nobody meant.
#pragma once

#include "core/errors.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace silo::api::windows {

inline constexpr std::string_view kPipeBaseSddl = "D:P(A;;GA;;;BA)(A;;GA;;;SY)";

// The SDDL text for the pipe: the base plus one read/write ACE per group (account names as
// LookupAccountName takes them: "docker-users", "DOMAIN\\ops", "BUILTIN\\Users").
Result<std::string> pipe_sddl(const std::vector<std::string>& groups);

// An absolute security descriptor built from SDDL, owned (LocalFree on destruction).
class SecurityDescriptor {
 public:
  static Result<SecurityDescriptor> from_sddl(std::string_view sddl);

  void* get() const noexcept { return descriptor_.get(); }  // PSECURITY_DESCRIPTOR
  // The DACL spelled back as SDDL by the system (ConvertSecurityDescriptorToStringSecurityDescriptor).
  Result<std::string> dacl_sddl() const;

 private:
  struct Free {
    void operator()(void* p) const noexcept;
  };
  explicit SecurityDescriptor(void* descriptor) : descriptor_(descriptor) {}
  std::unique_ptr<void, Free> descriptor_;
};

// The DACL of an open kernel object (a pipe handle), as SDDL; what clients are really checked against.
Result<std::string> handle_dacl_sddl(void* handle);

}  // namespace silo::api::windows
