#include "core/engine/hcs/documents/target_os.h"

#include <string>

namespace silo::hcs {

Result<void> check_schema_v2_supported(TargetOs target) {
  if (target.build >= kBuildWs2019) return {};
  return make_error(Errc::failed_precondition,
                    "HCS schema 2.1 needs Windows build " + std::to_string(kBuildWs2019) +
                        " (Windows Server 2019) or later; the target is build " + std::to_string(target.build));
}

Result<void> check_hostprocess_in_vm_supported(TargetOs target) {
  if (target.build >= kBuildWs2025) return {};
  return make_error(Errc::failed_precondition,
                    "HostProcess containers inside a utility VM need a Windows Server 2025 (build " +
                        std::to_string(kBuildWs2025) + ") or later guest; the target is build " +
                        std::to_string(target.build) +
                        ": use a WS2025 base image or run the container with process isolation");
}

}  // namespace silo::hcs
