// The container's root file system: an overlay of its layer chain (the top layer first in lowerdir,
// the base last) with a per-container upper and work folder, mounted by silod at
// <state dir>/bundle/rootfs before runc sees the bundle.
//
// Why silod mounts it rather than config.json's mounts: runc wants root.path to be a directory it
// pivots into, and the OCI spec has no way to say "the root itself is an overlay"; mounting it
// ourselves also lets create() read the container's /etc/passwd for user names before anything
// runs, and keeps the mount independent of runc's state (remove() unmounts it even when runc's
// state is gone).
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <vector>

namespace silo::engine::runc {

struct OverlayPaths {
  std::vector<std::filesystem::path> lower;  // top layer first
  std::filesystem::path upper;
  std::filesystem::path work;
  std::filesystem::path target;
};

// The mount's option string; invalid_argument when it would not fit in the kernel's one page.
Result<std::string> overlay_options(const OverlayPaths& paths);

// Mounts the overlay (the upper, work and target folders must exist).
Result<void> mount_overlay(const OverlayPaths& paths);
// Detaches whatever is mounted at target; not an error when nothing is.
Result<void> unmount(const std::filesystem::path& target);
// True when a file system is mounted at `path` (its device differs from its parent's).
bool is_mount_point(const std::filesystem::path& path);

// Mounts a one-layer overlay under `scratch` and unmounts it: whether this kernel and the file
// system under `scratch` can hold container upper folders. Leaves `scratch` removed.
Result<void> try_overlay(const std::filesystem::path& scratch);

}  // namespace silo::engine::runc
