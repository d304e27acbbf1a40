#include "api/transport/windows/pipe_identity.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <vector>

namespace silo::api::windows {
namespace {

namespace win = silo::platform::windows;
using win::to_utf8;
using win::to_wide;

class OwnedHandle {
 public:
  OwnedHandle() = default;
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;
  ~OwnedHandle() {
    if (handle_) CloseHandle(handle_);
  }
  HANDLE* out() noexcept { return &handle_; }
  HANDLE get() const noexcept { return handle_; }

 private:
  HANDLE handle_ = nullptr;
};

// The client's token (an impersonation token at the level the client allowed; identification is
// enough to read it). The thread reverts to the daemon's own identity before this returns.
Result<void> open_client_token(HANDLE pipe, OwnedHandle& token) {
  if (!ImpersonateNamedPipeClient(pipe)) return win::last_win32_error("ImpersonateNamedPipeClient", Errc::permission_denied);
  const BOOL opened = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, token.out());
  const DWORD error = GetLastError();
  // Never keep running as the client: a failed revert leaves this thread unusable for the daemon.
  if (!RevertToSelf()) return win::last_win32_error("RevertToSelf after reading a pipe client's token");
  if (!opened) return win::win32_error(Errc::permission_denied, "OpenThreadToken of a pipe client", error);
  return {};
}

Result<bool> token_is_member(HANDLE token, WELL_KNOWN_SID_TYPE type, const char* name) {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD size = sizeof(sid);
  if (!CreateWellKnownSid(type, nullptr, sid, &size)) return win::last_win32_error(std::string("CreateWellKnownSid ") + name);
  BOOL member = FALSE;
  if (!CheckTokenMembership(token, sid, &member)) return win::last_win32_error(std::string("CheckTokenMembership ") + name);
  return member != FALSE;
}

// "DOMAIN\\user" of the token's user.
Result<std::string> token_account(HANDLE token) {
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  if (size == 0) return win::last_win32_error("GetTokenInformation(TokenUser)");
  std::vector<unsigned char> buffer(size);
  if (!GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) return win::last_win32_error("GetTokenInformation(TokenUser)");
  PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
  wchar_t name[256];
  wchar_t domain[256];
  DWORD name_size = 256;
  DWORD domain_size = 256;
  SID_NAME_USE use{};
  if (!LookupAccountSidW(nullptr, sid, name, &name_size, domain, &domain_size, &use)) {
    return win::last_win32_error("LookupAccountSidW of a pipe client");
  }
  std::string account = to_utf8(std::wstring_view(domain, domain_size));
  if (!account.empty()) account += "\\";
  return account + to_utf8(std::wstring_view(name, name_size));
}

}  // namespace

Result<PeerIdentity> named_pipe_peer_identity(void* pipe) {
  PeerIdentity peer;
  peer.transport = "npipe";
  ULONG pid = 0;
  if (GetNamedPipeClientProcessId(pipe, &pid)) peer.pid = static_cast<std::int32_t>(pid);

  OwnedHandle token;
  SILO_TRY(open_client_token(pipe, token));
  auto admins = token_is_member(token.get(), WinBuiltinAdministratorsSid, "Administrators");
  if (!admins) return admins.error();
  auto system = token_is_member(token.get(), WinLocalSystemSid, "SYSTEM");
  if (!system) return system.error();
  peer.windows_admin = *admins || *system;
  auto account = token_account(token.get());
  if (!account) return account.error();
  peer.windows_account = std::move(*account);
  return peer;
}

}  // namespace silo::api::windows
