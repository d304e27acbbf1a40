#include "service/windows/os_version.h"

#include <windows.h>

namespace silo::service::windows {

WindowsVersion windows_version() {
  OSVERSIONINFOW info{};
  info.dwOSVersionInfoSize = sizeof(info);
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  if (HMODULE ntdll = GetModuleHandleW(L"ntdll.dll")) {
    auto get_version = reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")));
    if (get_version && get_version(&info) == 0) return {info.dwMajorVersion, info.dwMinorVersion, info.dwBuildNumber};
  }
  return {};
}

std::string to_string(const WindowsVersion& version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor) + "." + std::to_string(version.build);
}

}  // namespace silo::service::windows
