// Host capabilities under Wine: none of the HCS DLLs exist there, so both HCS modes must report
// unavailable with a reason that names the missing DLL and what to install.
#include "core/engine/windows/host_capabilities.h"
#include "core/engine/windows/system_library.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace silo::engine::windows {
namespace {

bool in_system32(const char* dll) { return SystemLibrary::load(dll).has_value(); }

TEST(HostCapabilities, ProcessIsolationNamesTheMissingDll) {
  if (in_system32("computecore.dll")) GTEST_SKIP() << "this host has computecore.dll (a real Windows with Containers)";
  const auto caps = probe_host_capabilities();
  EXPECT_FALSE(caps.process.available);
  EXPECT_NE(caps.process.reason.find("computecore.dll not found"), std::string::npos) << caps.process.reason;
  EXPECT_NE(caps.process.reason.find("Install-WindowsFeature Containers"), std::string::npos) << caps.process.reason;
}

TEST(HostCapabilities, HypervIsolationNeedsWhatProcessIsolationNeeds) {
  if (in_system32("computecore.dll")) GTEST_SKIP() << "this host has computecore.dll (a real Windows with Containers)";
  const auto caps = probe_host_capabilities();
  EXPECT_FALSE(caps.hyperv.available);
  EXPECT_NE(caps.hyperv.reason.find("computecore.dll"), std::string::npos) << caps.hyperv.reason;
}

TEST(HostCapabilities, EveryRunTimeDllIsProbedAndExplained) {
  const auto caps = probe_host_capabilities();
  std::vector<std::string> names;
  for (const auto& library : caps.libraries) {
    names.push_back(library.name);
    if (!library.loaded) {
      EXPECT_NE(library.reason.find(library.name), std::string::npos) << library.reason;
    }
  }
  for (const char* dll : {"computecore.dll", "computestorage.dll", "computenetwork.dll", "vmcompute.dll", "bindfltapi.dll"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), dll), names.end()) << dll;
  }
  if (!in_system32("bindfltapi.dll")) {
    EXPECT_FALSE(caps.bind_filter.available);
  }
}

TEST(SystemLibrary, ResolvesAnExportOfASystemDll) {
  auto kernel32 = SystemLibrary::load("kernel32.dll");
  ASSERT_TRUE(kernel32) << kernel32.error().message;
  EXPECT_TRUE(kernel32->symbol("GetTickCount64"));
  auto missing = kernel32->symbol("NoSuchExportInKernel32");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_NE(missing.error().message.find("NoSuchExportInKernel32"), std::string::npos);
}

}  // namespace
}  // namespace silo::engine::windows
