// Host paths as the host resolves them, for the host-access rule (core/model/host_access.h):
// every symlink followed, so "/srv/data/link" that points at /etc is judged as /etc.
#pragma once

#include "core/errors.h"
#include "core/model/container_spec.h"
#include "core/model/host_access.h"
#include "core/platform/host_path.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace silo::services {

// Where an existing host path resolves, every symlink followed (platform::PinnedHostPath);
// not_found or invalid_argument naming the path otherwise.
Result<std::string> resolve_host_path(const std::string& path);

// A container's bind mount sources held open while it starts (platform/host_path.h): the access
// rule is checked on where the held objects are, and the backend mounts the held objects, so
// nothing swapped into a path between the check and the mount is mounted.
class HeldMountSources {
 public:
  // Holds every host path source; named pipes are left alone, and a source that cannot be
  // opened is remembered with its error (the rule refuses it for operators).
  static HeldMountSources hold(const std::vector<MountSpec>& mounts);

  // Answers from what is held.
  ResolveHostPath resolver() const;
  // Each held source replaced by what mounts the held object (PinnedHostPath::stage_at), staged
  // at `staging_dir`/<prefix>-<index>; undone when this object is destroyed.
  Result<void> use_in(std::vector<MountSpec>& mounts, const std::filesystem::path& staging_dir,
                      const std::string& prefix);

 private:
  std::map<std::string, Result<platform::PinnedHostPath>> held_;
};

// The operator-mount-roots of the configuration, each checked (absolute, an existing folder) and
// resolved as resolve_host_path does, so a root that is itself a symlink is kept as its target.
Result<std::vector<std::string>> resolve_mount_roots(const std::vector<std::string>& roots);

}  // namespace silo::services
