// Which Windows build a document is for. HCS (and, inside a utility VM, the guest's compute agent)
// rejects fields it does not know with HCS_E_INVALID_JSON, so every builder asks this header which
// fields the target build understands and emits nothing else.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <string_view>

namespace silo::hcs {

inline constexpr std::uint32_t kBuildWs2019 = 17763;  // RS5 / 1809: schema 2.1, the oldest silo drives
inline constexpr std::uint32_t kBuildWs2022 = 20348;
inline constexpr std::uint32_t kBuildWs2025 = 26100;  // first guest with HostProcess containers in a VM

struct TargetOs {
  std::uint32_t build = kBuildWs2019;
};

// Schema 2.1 documents need build 17763 or later; failed_precondition otherwise.
Result<void> check_schema_v2_supported(TargetOs target);

// Container.IsolationType "HostProcess" and Storage.PrivilegedContainerRootPath (hcsshim PR #2531)
// exist only in WS2025 (26100) guests; failed_precondition naming both builds otherwise.
Result<void> check_hostprocess_in_vm_supported(TargetOs target);

}  // namespace silo::hcs
