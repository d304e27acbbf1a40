#include "api/transport/windows/pipe_security.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <memory>
#include <vector>

namespace silo::api::windows {
namespace {

namespace win = silo::platform::windows;
using win::to_utf8;
using win::to_wide;

struct LocalFreeDeleter {
  void operator()(void* p) const noexcept { LocalFree(p); }
};

// "S-1-5-21-...-1001" for an account name; a missing name is not_found, naming it.
Result<std::string> sid_text_of(const std::string& name) {
  const std::wstring wide = to_wide(name);
  DWORD sid_size = 0;
  DWORD domain_size = 0;
  SID_NAME_USE use{};
  LookupAccountNameW(nullptr, wide.c_str(), nullptr, &sid_size, nullptr, &domain_size, &use);
  DWORD error = GetLastError();
  if (error == ERROR_NONE_MAPPED) {
    return make_error(Errc::not_found, "group \"" + name +
                                           "\" given for the named pipe does not exist on this host; create it or remove it from the configuration");
  }
  if (error != ERROR_INSUFFICIENT_BUFFER) return win::win32_error(Errc::failed_precondition, "look up group \"" + name + "\"", error);
  std::vector<unsigned char> sid(sid_size);
  std::wstring domain(domain_size, L'\0');
  if (!LookupAccountNameW(nullptr, wide.c_str(), sid.data(), &sid_size, domain.data(), &domain_size, &use)) {
    return win::last_win32_error("look up group \"" + name + "\"", Errc::failed_precondition);
  }
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(sid.data(), &text)) return win::last_win32_error("format the SID of \"" + name + "\"");
  std::unique_ptr<void, LocalFreeDeleter> owned(text);
  return to_utf8(text);
}

Result<std::string> to_sddl(PSECURITY_DESCRIPTOR descriptor) {
  wchar_t* text = nullptr;
  if (!ConvertSecurityDescriptorToStringSecurityDescriptorW(descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION,
                                                            &text, nullptr)) {
    return win::last_win32_error("ConvertSecurityDescriptorToStringSecurityDescriptorW");
  }
  std::unique_ptr<void, LocalFreeDeleter> owned(text);
  return to_utf8(text);
}

}  // namespace

Result<std::string> pipe_sddl(const std::vector<std::string>& groups) {
  std::string sddl(kPipeBaseSddl);
  for (const auto& group : groups) {
    if (group.empty()) return make_error(Errc::invalid_argument, "an empty group name was given for the named pipe");
    auto sid = sid_text_of(group);
    if (!sid) return sid.error();
    sddl += "(A;;GRGW;;;" + *sid + ")";
  }
  return sddl;
}

void SecurityDescriptor::Free::operator()(void* p) const noexcept { LocalFree(p); }

Result<SecurityDescriptor> SecurityDescriptor::from_sddl(std::string_view sddl) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const std::wstring wide = to_wide(sddl);
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(wide.c_str(), SDDL_REVISION_1, &descriptor, nullptr)) {
    return win::last_win32_error("the security descriptor \"" + std::string(sddl) + "\"", Errc::invalid_argument);
  }
  return SecurityDescriptor(descriptor);
}

Result<std::string> SecurityDescriptor::dacl_sddl() const { return to_sddl(descriptor_.get()); }

Result<std::string> handle_dacl_sddl(void* handle) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const DWORD rc = GetSecurityInfo(handle, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, nullptr,
                                   nullptr, &descriptor);
  if (rc != ERROR_SUCCESS) return win::win32_error(Errc::internal, "GetSecurityInfo on the pipe", rc);
  std::unique_ptr<void, LocalFreeDeleter> owned(descriptor);
  return to_sddl(descriptor);
}

}  // namespace silo::api::windows
