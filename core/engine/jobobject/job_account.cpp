#include "core/engine/jobobject/job_account.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <bcrypt.h>
#include <lm.h>

#include <algorithm>
#include <cctype>

namespace silo::engine::jobobject {

namespace {

using platform::windows::to_wide;
using platform::windows::UniqueHandle;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// "NT AUTHORITY\LocalService" -> "LOCAL SERVICE"; empty when `user` is not one of the three.
std::string service_account(const std::string& user) {
  const std::string name = upper(user);
  const std::string prefix = "NT AUTHORITY\\";
  if (name.rfind(prefix, 0) != 0) return {};
  const std::string rest = name.substr(prefix.size());
  if (rest == "SYSTEM") return "SYSTEM";
  if (rest == "LOCALSERVICE" || rest == "LOCAL SERVICE") return "LOCAL SERVICE";
  if (rest == "NETWORKSERVICE" || rest == "NETWORK SERVICE") return "NETWORK SERVICE";
  return {};
}

// The name resolves to a local group's SID (an alias) and the group answers NetLocalGroupGetInfo.
// The SID check comes first because some NetLocalGroupGetInfo implementations (Wine's) answer for
// any name.
bool local_group_exists(const std::string& group) {
  const std::wstring wide = to_wide(group);
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof sid;
  wchar_t domain[256];
  DWORD domain_size = 256;
  SID_NAME_USE use = SidTypeUnknown;
  if (!LookupAccountNameW(nullptr, wide.c_str(), sid, &sid_size, domain, &domain_size, &use) || use != SidTypeAlias) return false;
  LOCALGROUP_INFO_1* info = nullptr;
  const NET_API_STATUS status = NetLocalGroupGetInfo(nullptr, to_wide(group).c_str(), 1, reinterpret_cast<LPBYTE*>(&info));
  if (info != nullptr) NetApiBufferFree(info);
  return status == NERR_Success;
}

Error net_error(const std::string& what, NET_API_STATUS status) {
  return platform::windows::win32_error(platform::windows::errc_for_win32(status, Errc::internal), what, status);
}

// 32 random hex digits plus characters from every class a complexity policy asks for.
Result<std::wstring> random_password() {
  unsigned char bytes[16];
  if (BCryptGenRandom(nullptr, bytes, sizeof bytes, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
    return make_error(Errc::internal, "the system random source failed while making a password");
  }
  std::wstring password = L"Si!0";
  const wchar_t* digits = L"0123456789abcdef";
  for (unsigned char b : bytes) {
    password += digits[b >> 4];
    password += digits[b & 0xF];
  }
  return password;
}

// LogonUserW can report success without a usable token (Wine's is a semi-stub that hands back
// none): a token that cannot be queried is a failed logon, said as such.
Result<void> check_token(HANDLE token, const std::string& account) {
  TOKEN_TYPE type{};
  DWORD size = 0;
  if (token == nullptr || !GetTokenInformation(token, TokenType, &type, sizeof type, &size)) {
    const DWORD err = GetLastError();
    if (token != nullptr && token != INVALID_HANDLE_VALUE) CloseHandle(token);
    return platform::windows::win32_error(Errc::unavailable, "log on as " + account + ": the system returned no usable token", err);
  }
  return {};
}

}  // namespace

Result<AccountPlan> plan_account(const std::string& user, bool inherit_user, const std::string& container_id) {
  AccountPlan plan;
  if (inherit_user || user.empty()) return plan;
  if (auto service = service_account(user); !service.empty()) {
    plan.kind = AccountKind::service;
    plan.service_user = service;
    return plan;
  }
  if (user.find('\\') == std::string::npos && local_group_exists(user)) {
    plan.kind = AccountKind::local_group;
    plan.group = user;
    plan.temporary_user = container_id.substr(0, 20);
    return plan;
  }
  return make_error(Errc::invalid_argument,
                    "user \"" + user + "\" is neither NT AUTHORITY\\SYSTEM, NT AUTHORITY\\LocalService, "
                    "NT AUTHORITY\\NetworkService nor a local group on this host");
}

Result<void> create_temporary_user(const AccountPlan& plan) {
  auto password = random_password();
  if (!password) return password.error();
  std::wstring name = to_wide(plan.temporary_user);
  USER_INFO_1 info{};
  info.usri1_name = name.data();
  info.usri1_password = password->data();
  info.usri1_priv = USER_PRIV_USER;
  info.usri1_flags = UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD | UF_SCRIPT;
  if (const NET_API_STATUS status = NetUserAdd(nullptr, 1, reinterpret_cast<LPBYTE>(&info), nullptr); status != NERR_Success) {
    return net_error("add the temporary user " + plan.temporary_user, status);
  }
  LOCALGROUP_MEMBERS_INFO_3 member{};
  member.lgrmi3_domainandname = name.data();
  const NET_API_STATUS added =
      NetLocalGroupAddMembers(nullptr, to_wide(plan.group).c_str(), 3, reinterpret_cast<LPBYTE>(&member), 1);
  if (added != NERR_Success) {
    (void)delete_temporary_user(plan.temporary_user);
    return net_error("add the temporary user " + plan.temporary_user + " to the group " + plan.group, added);
  }
  return {};
}

Result<void> delete_temporary_user(const std::string& user_name) {
  const NET_API_STATUS status = NetUserDel(nullptr, to_wide(user_name).c_str());
  if (status == NERR_Success || status == NERR_UserNotFound) return {};
  return net_error("delete the temporary user " + user_name, status);
}

Result<UniqueHandle> logon(const AccountPlan& plan) {
  HANDLE token = nullptr;
  switch (plan.kind) {
    case AccountKind::inherit:
      return UniqueHandle{};
    case AccountKind::service:
      if (!LogonUserW(to_wide(plan.service_user).c_str(), L"NT AUTHORITY", nullptr, LOGON32_LOGON_SERVICE,
                      LOGON32_PROVIDER_DEFAULT, &token)) {
        return platform::windows::last_win32_error("log on as NT AUTHORITY\\" + plan.service_user);
      }
      SILO_TRY(check_token(token, "NT AUTHORITY\\" + plan.service_user));
      return UniqueHandle(token);
    case AccountKind::local_group: {
      auto password = random_password();
      if (!password) return password.error();
      const std::wstring name = to_wide(plan.temporary_user);
      USER_INFO_1003 info{password->data()};
      if (const NET_API_STATUS status = NetUserSetInfo(nullptr, name.c_str(), 1003, reinterpret_cast<LPBYTE>(&info), nullptr);
          status != NERR_Success) {
        return net_error("set a password for the temporary user " + plan.temporary_user, status);
      }
      if (!LogonUserW(name.c_str(), L".", password->c_str(), LOGON32_LOGON_INTERACTIVE, LOGON32_PROVIDER_DEFAULT, &token)) {
        return platform::windows::last_win32_error("log on as the temporary user " + plan.temporary_user);
      }
      SILO_TRY(check_token(token, "the temporary user " + plan.temporary_user));
      return UniqueHandle(token);
    }
  }
  return make_error(Errc::internal, "unknown account kind");
}

}  // namespace silo::engine::jobobject
