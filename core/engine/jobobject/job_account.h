// The account a HostProcess container's processes run as (hcsshim jobcontainers/logon.go):
//   inherit (microsoft.com/hostprocess-inherit-user, or no user): silod's own token, plain
//     CreateProcess;
//   NT AUTHORITY\SYSTEM, NT AUTHORITY\LocalService (LOCAL SERVICE), NT AUTHORITY\NetworkService
//     (NETWORK SERVICE): LogonUser(LOGON32_LOGON_SERVICE) + CreateProcessAsUser;
//   the name of a local group: a temporary local user named after the container (the first 20
//     characters of its id), added to the group at create() and deleted at remove(). Its password
//     is never stored: each logon sets a fresh random one first.
// Anything else is invalid_argument naming the user.
#pragma once

#include "core/errors.h"
#include "core/platform/windows/unique_handle.h"

#include <string>

namespace silo::engine::jobobject {

enum class AccountKind { inherit, service, local_group };

struct AccountPlan {
  AccountKind kind = AccountKind::inherit;
  std::string service_user;  // SYSTEM, LOCAL SERVICE or NETWORK SERVICE (kind service)
  std::string group;         // kind local_group
  std::string temporary_user;

  bool operator==(const AccountPlan&) const = default;
};

// Decides the kind; looks the group up on this host (NetLocalGroupGetInfo).
Result<AccountPlan> plan_account(const std::string& user, bool inherit_user, const std::string& container_id);

// NetUserAdd + NetLocalGroupAddMembers; nothing is left behind when it fails.
Result<void> create_temporary_user(const AccountPlan& plan);
// NetUserDel; not an error when the user is gone already.
Result<void> delete_temporary_user(const std::string& user_name);

// The primary token to create processes with; an empty handle for inherit.
Result<platform::windows::UniqueHandle> logon(const AccountPlan& plan);

}  // namespace silo::engine::jobobject
