// The HostProcess backend's BackendHandle: JSON text with everything needed to find a container
// again after a daemon restart.
//   {"v":1,"container_id":"…","state_dir":"…","rootfs":"…","rootfs_created":true,
//    "cgroup":{"version":1,"dirs":{"memory":"/sys/fs/cgroup/memory/…/silo/<id>",…}},
//    "monitor":{"pid":123,"start_time":456},"main":{"pid":124,"start_time":457}}
// monitor and main are absent until the first start.
#pragma once

#include "core/engine/backend.h"
#include "core/platform/cgroup.h"
#include "core/platform/process.h"

#include <filesystem>
#include <optional>
#include <string>

namespace silo::engine::hostprocess {

struct HostProcessHandle {
  std::string container_id;
  std::filesystem::path state_dir;
  std::filesystem::path rootfs;
  bool rootfs_created = false;  // only a rootfs silo made is removed with the container
  platform::Cgroup cgroup;
  std::optional<platform::ProcessIdentity> monitor;
  std::optional<platform::ProcessIdentity> main;
};

BackendHandle encode_handle(const HostProcessHandle& handle);
// invalid_argument when the text is not a handle this backend made.
Result<HostProcessHandle> decode_handle(const BackendHandle& text);

}  // namespace silo::engine::hostprocess
