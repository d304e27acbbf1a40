// The Windows version silod runs on, as the kernel reports it: GetVersionEx answers as the
// application manifest allows (Windows 8 without one), RtlGetVersion gives the real build, which
// decides the HCS schema silod may use and is what an operator compares.
#pragma once

#include <cstdint>
#include <string>

namespace silo::service::windows {

struct WindowsVersion {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
  std::uint32_t build = 0;
};

WindowsVersion windows_version();

// "10.0.20348"
std::string to_string(const WindowsVersion& version);

}  // namespace silo::service::windows
