// Mount checks: absolute paths on both sides (host paths are resolved against nothing, so a
// relative one would depend on the daemon's working directory), no '..', and one mount per target.
#include "core/model/container_spec.h"
#include "core/model/message_text.h"
#include "core/model/path_shape.h"

#include <map>

namespace silo {
namespace {

using message::invalid;

Result<void> check_mount_path(const std::string& field, const std::string& path, const SpecLimits& limits) {
  if (path.empty()) return invalid(field + " is empty; give an absolute path");
  if (path.size() > limits.path_bytes_max) {
    return invalid(field + " is " + std::to_string(path.size()) + " bytes; at most " +
                   std::to_string(limits.path_bytes_max) + " are allowed");
  }
  if (path.find('\0') != std::string::npos || !validation::is_valid_utf8(path)) {
    return invalid(field + " must be UTF-8 text without NUL characters");
  }
  if (path_shape::is_named_pipe(path)) return {};
  if (!path_shape::is_absolute(path)) {
    return invalid(field + " " + message::quoted(path) +
                   " is relative; give an absolute path (/... or C:\\...) or a named pipe "
                   "(\\\\.\\pipe\\name)");
  }
  if (path_shape::has_parent_component(path))
    return invalid(field + " " + message::quoted(path) + " must not contain '..'");
  return {};
}

}  // namespace

Result<void> validate_mounts(const std::vector<MountSpec>& mounts, const SpecLimits& limits) {
  if (mounts.size() > limits.mounts_max) {
    return invalid("mounts has " + std::to_string(mounts.size()) + " entries; at most " +
                   std::to_string(limits.mounts_max) + " are allowed");
  }
  std::map<std::string, std::size_t> first_by_target;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    std::string where = "mounts[" + std::to_string(i) + "]";
    SILO_TRY(check_mount_path(where + ".source", mounts[i].source, limits));
    SILO_TRY(check_mount_path(where + ".target", mounts[i].target, limits));
    if (path_shape::is_named_pipe(mounts[i].source) != path_shape::is_named_pipe(mounts[i].target)) {
      return invalid(where + ": a named pipe can only be mounted onto a named pipe (source " +
                     message::quoted(mounts[i].source) + ", target " + message::quoted(mounts[i].target) + ")");
    }
    auto [it, inserted] = first_by_target.emplace(path_shape::comparison_key(mounts[i].target), i);
    if (!inserted) {
      return invalid(where + ".target " + message::quoted(mounts[i].target) + " duplicates mounts[" +
                     std::to_string(it->second) + "].target; each target may be mounted once");
    }
  }
  return {};
}

}  // namespace silo
