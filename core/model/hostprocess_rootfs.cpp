// Where a HostProcess container's root file system appears on the host (or in the VM).
// Windows: C:\hpc by default, bound per silo by the bind filter so every container sees its own
// (hcsshim jobcontainers); a custom location is checked like hcsshim's ospath.Sanitize.
// Linux: there is no per-container file-system view for a host process, so each container gets its
// own directory: <data-root>/hostprocess/<id>, or <custom>/<id> for a custom location.
#include "core/model/hostprocess_annotations.h"
#include "core/model/hostprocess_rules.h"
#include "core/model/message_text.h"
#include "core/model/path_shape.h"

#include <array>

namespace silo {
namespace {

constexpr std::string_view kWindowsDefault = "C:\\hpc";

// System folders a HostProcess rootfs must not shadow (hcsshim internal/ospath).
constexpr std::array<std::string_view, 4> kWindowsForbidden{"C:\\Windows", "C:\\mounts", "C:\\EFI",
                                                            "C:\\SandboxMounts"};
constexpr std::array<std::string_view, 4> kPosixForbidden{"/proc", "/sys", "/dev", "/run"};

std::string field_name() {
  return "annotations[\"" + std::string(hostprocess::kRootfsLocationAnnotation) + "\"]";
}

Result<void> check_windows_location(std::string_view location) {
  if (!path_shape::is_windows_drive_absolute(location) || path_shape::has_parent_component(location)) {
    return message::invalid(field_name() + " " + message::quoted(location) +
                            " must be an absolute drive path such as C:\\hpc (no UNC path, no '..')");
  }
  for (std::string_view forbidden : kWindowsForbidden) {
    if (path_shape::is_same_or_under(location, forbidden)) {
      return message::invalid(field_name() + " " + message::quoted(location) + " must not be or lie under " +
                              std::string(forbidden));
    }
  }
  return {};
}

Result<void> check_posix_location(std::string_view location) {
  if (location.empty() || location.front() != '/' || path_shape::has_parent_component(location) ||
      path_shape::comparison_key(location) == "/") {
    return message::invalid(field_name() + " " + message::quoted(location) +
                            " must be an absolute directory other than / (no '..')");
  }
  for (std::string_view forbidden : kPosixForbidden) {
    if (path_shape::is_same_or_under(location, forbidden)) {
      return message::invalid(field_name() + " " + message::quoted(location) + " must not be or lie under " +
                              std::string(forbidden));
    }
  }
  return {};
}

std::string posix_join(std::string_view base, std::string_view leaf) {
  std::string out = path_shape::comparison_key(base);
  if (out.empty() || out.back() != '/') out.push_back('/');
  return out + std::string(leaf);
}

}  // namespace

Result<std::string> hostprocess_rootfs_location(const StringMap& annotations, const PlacementContext& context) {
  auto custom = annotations.find(std::string(hostprocess::kRootfsLocationAnnotation));
  bool has_custom = custom != annotations.end();
  if (context.platform == HostPlatform::windows) {
    if (!has_custom) return std::string(kWindowsDefault);
    SILO_TRY(check_windows_location(custom->second));
    return custom->second;
  }
  if (context.container_id.empty()) {
    return make_error(Errc::internal, "the HostProcess rootfs location needs the container id");
  }
  if (!has_custom) {
    if (context.data_root.empty() || context.data_root.front() != '/') {
      return make_error(Errc::internal, "the HostProcess rootfs location needs an absolute data root, not " +
                                            message::quoted(context.data_root));
    }
    return posix_join(posix_join(context.data_root, "hostprocess"), context.container_id);
  }
  SILO_TRY(check_posix_location(custom->second));
  return posix_join(custom->second, context.container_id);
}

}  // namespace silo
