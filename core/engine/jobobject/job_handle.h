// The job-object backend's BackendHandle: JSON text with everything needed to find a container
// again after a daemon restart.
//   {"v":1,"backend":"jobobject","container_id":"…","state_dir":"…","rootfs":"C:\\hpc\\<id>",
//    "rootfs_created":true,"mount_links":["C:\\hpc\\<id>\\data"],"account":{"kind":"group",…},
//    "monitor":{"pid":123,"start_time":456},"main":{"pid":124,"start_time":457}}
// The job itself is found by its name, JobContainer_<id>. monitor and main are absent until the
// first start.
#pragma once

#include "core/engine/backend.h"
#include "core/engine/jobobject/job_account.h"
#include "core/platform/process.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace silo::engine::jobobject {

struct JobHandle {
  std::string container_id;
  std::filesystem::path state_dir;
  std::filesystem::path rootfs;
  bool rootfs_created = false;  // only a rootfs silo made is removed with the container
  std::vector<std::filesystem::path> mount_links;
  AccountPlan account;
  std::optional<platform::ProcessIdentity> monitor;
  std::optional<platform::ProcessIdentity> main;
};

BackendHandle encode_handle(const JobHandle& handle);
// invalid_argument when the text is not a handle this backend made.
Result<JobHandle> decode_handle(const BackendHandle& text);

}  // namespace silo::engine::jobobject
