// The runc backend's BackendHandle: JSON text with everything needed to find a container again
// after a daemon restart.
//   {"v":1,"backend":"runc","container_id":"…","sandbox_id":"…","state_dir":"…",
//    "cgroups_path":"/…/silo/<id>","cgroup":{"version":1,"dirs":{…}},
//    "monitor":{"pid":123,"start_time":456}}
// The bundle is <state_dir>/bundle, its root file system <state_dir>/bundle/rootfs, the overlay's
// upper and work folders <state_dir>/upper and <state_dir>/work. monitor is absent until the
// first start.
#pragma once

#include "core/engine/backend.h"
#include "core/platform/cgroup.h"
#include "core/platform/process.h"

#include <filesystem>
#include <optional>
#include <string>

namespace silo::engine::runc {

struct RuncHandle {
  std::string container_id;
  std::string sandbox_id;
  std::filesystem::path state_dir;
  std::string cgroups_path;  // linux.cgroupsPath: the same path in every hierarchy
  platform::Cgroup cgroup;   // its directories, for stats and OOM counts
  std::optional<platform::ProcessIdentity> monitor;

  std::filesystem::path bundle() const { return state_dir / "bundle"; }
  std::filesystem::path rootfs() const { return bundle() / "rootfs"; }
  std::filesystem::path upper() const { return state_dir / "upper"; }
  std::filesystem::path work() const { return state_dir / "work"; }
};

BackendHandle encode_handle(const RuncHandle& handle);
// invalid_argument when the text is not a handle this backend made.
Result<RuncHandle> decode_handle(const BackendHandle& text);

// The cgroup of a container under `parent` (prepare_cgroup_parent's): runc takes one cgroupsPath
// for every v1 hierarchy, so the path is the parent's memory (or v2 unified) path plus the id, and
// the directories are that path under each hierarchy's mount point.
Result<std::pair<std::string, platform::Cgroup>> container_cgroup(const platform::Cgroup& parent, const std::string& id);

}  // namespace silo::engine::runc
