// A host path held open from the moment it is checked until what uses it is done, so a symlink
// swapped into the path between the check and a bind mount changes nothing: the check reads where
// the held path resolves, and the mount uses the held object itself.
//
// Linux: an O_PATH descriptor; resolved() is its /proc/self/fd link. A process in another mount
// namespace (runc's container init) cannot bind mount silod's descriptor (the kernel refuses a
// bind from a mount outside the caller's namespace with EINVAL), so stage_at() bind mounts the held
// object onto a path in silod's data root that only silod can change, and the container's mount is
// made from there.
// Windows: resolved with every link followed (std::filesystem::canonical) and mounted by that
// path; not held, since HCS and bindflt take paths, not handles.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>

namespace silo::platform {

class PinnedHostPath {
 public:
  // not_found or invalid_argument naming the path when it cannot be opened.
  static Result<PinnedHostPath> open(const std::string& path);

  PinnedHostPath(PinnedHostPath&& other) noexcept;
  PinnedHostPath& operator=(PinnedHostPath&& other) noexcept;
  PinnedHostPath(const PinnedHostPath&) = delete;
  PinnedHostPath& operator=(const PinnedHostPath&) = delete;
  ~PinnedHostPath();

  // Where the held object is, every symlink resolved ("/etc" for "/srv/data/link -> /etc").
  const std::string& resolved() const noexcept { return resolved_; }
  // What to give a mount as its source so that it mounts the held object: on Linux a bind mount
  // of it at `where` (an empty folder or file made there to match it), undone and removed when this
  // object is destroyed; on Windows its resolved path.
  Result<std::string> stage_at(const std::filesystem::path& where);

  // At startup: unmounts and removes what a crash left staged in `dir`. Never recursive: an entry
  // that is still a mount or not empty stays, so no host file is ever deleted through one.
  static void clear_staging(const std::filesystem::path& dir);

 private:
  PinnedHostPath() = default;
  void unstage() noexcept;

  int fd_ = -1;
  std::string resolved_;
  std::filesystem::path staged_;
};

}  // namespace silo::platform
