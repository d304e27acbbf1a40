#include "service/host_facts.h"

#include "core/platform/windows/wide_text.h"
#include "service/build_info.h"
#include "service/windows/os_version.h"

#include <boost/version.hpp>
#include <sqlite3.h>
#include <windows.h>

#include <array>

namespace silo::service {
namespace {

// "Windows Server 2022 Datacenter" from the registry; "Windows" when it cannot be read.
std::string product_name() {
  std::array<wchar_t, 256> name{};
  DWORD bytes = static_cast<DWORD>(name.size() * sizeof(wchar_t));
  if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", L"ProductName", RRF_RT_REG_SZ,
                   nullptr, name.data(), &bytes) != ERROR_SUCCESS) {
    return "Windows";
  }
  return platform::windows::to_utf8(name.data());
}

}  // namespace

api::HostFacts read_host_facts() {
  api::HostFacts facts;
  std::array<wchar_t, 256> name{};
  DWORD length = static_cast<DWORD>(name.size());
  if (GetComputerNameExW(ComputerNameDnsHostname, name.data(), &length)) facts.hostname = platform::windows::to_utf8(name.data());
  facts.os_name = product_name();
  facts.os_version = to_string(windows::windows_version());
  facts.kernel = facts.os_version;
  SYSTEM_INFO system{};
  GetNativeSystemInfo(&system);
  facts.cpus = system.dwNumberOfProcessors;
  MEMORYSTATUSEX memory{};
  memory.dwLength = sizeof(memory);
  if (GlobalMemoryStatusEx(&memory)) facts.memory_bytes = static_cast<std::int64_t>(memory.ullTotalPhys);
  return facts;
}

api::VersionInfo read_version_info() {
  return {SILO_VERSION, "v1", SILO_GIT_COMMIT, "windows", "x86_64", to_string(windows::windows_version()), SILO_BUILD_TYPE};
}

api::ComponentVersions read_component_versions() {
  std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                      std::to_string(BOOST_VERSION % 100);
  // The mingw build has no OpenSSL (so no tcp:// hosts); the MSVC build's vcpkg OpenSSL is not used yet either.
  return {SILO_VERSION, sqlite3_libversion(), "none (no TLS in this build)", boost};
}

}  // namespace silo::service
