#include "core/engine/runc/overlay_mount.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace silo::engine::runc {

namespace {

// A path that would break the option string's syntax.
bool unsafe_for_options(const std::string& path) { return path.find_first_of(",:=\\") != std::string::npos; }

}  // namespace

Result<std::string> overlay_options(const OverlayPaths& paths) {
  if (paths.lower.empty()) return make_error(Errc::invalid_argument, "an overlay needs at least one layer");
  std::string lower;
  for (const auto& dir : paths.lower) {
    if (unsafe_for_options(dir.string())) return make_error(Errc::invalid_argument, "layer path " + dir.string() + " cannot be an overlay lower dir");
    // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict overlap for `sep + string`.
    if (!lower.empty()) lower += ':';
    lower += dir.string();
  }
  for (const auto& dir : {paths.upper, paths.work}) {
    if (unsafe_for_options(dir.string())) return make_error(Errc::invalid_argument, "path " + dir.string() + " cannot be used by overlayfs");
  }
  std::string options = "lowerdir=" + lower + ",upperdir=" + paths.upper.string() + ",workdir=" + paths.work.string();
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  if (options.size() >= page) {
    return make_error(Errc::invalid_argument, "the layer chain (" + std::to_string(paths.lower.size()) +
                                                  " layers) is too long for one overlay mount (" + std::to_string(options.size()) +
                                                  " bytes of options, the kernel takes " + std::to_string(page - 1) +
                                                  "); squash some layers or use a shorter data root path");
  }
  return options;
}

Result<void> mount_overlay(const OverlayPaths& paths) {
  auto options = overlay_options(paths);
  if (!options) return options.error();
  if (::mount("overlay", paths.target.c_str(), "overlay", 0, options->c_str()) != 0) {
    const int err = errno;
    return errno_error(err == ENODEV ? Errc::unavailable : Errc::internal,
                       "mount the overlay root file system at " + paths.target.string(), err);
  }
  return {};
}

Result<void> unmount(const std::filesystem::path& target) {
  if (::umount2(target.c_str(), MNT_DETACH) == 0 || errno == EINVAL || errno == ENOENT) return {};
  return errno_error(Errc::internal, "unmount " + target.string(), errno);
}

bool is_mount_point(const std::filesystem::path& path) {
  struct stat self {};
  struct stat parent {};
  if (::stat(path.c_str(), &self) != 0 || ::stat(path.parent_path().c_str(), &parent) != 0) return false;
  return self.st_dev != parent.st_dev;
}

Result<void> try_overlay(const std::filesystem::path& scratch) {
  std::error_code ec;
  OverlayPaths paths{{scratch / "lower"}, scratch / "upper", scratch / "work", scratch / "merged"};
  for (const auto& dir : {paths.lower.front(), paths.upper, paths.work, paths.target}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return make_error(Errc::unavailable, "create " + dir.string() + ": " + ec.message());
  }
  auto mounted = mount_overlay(paths);
  if (mounted) (void)unmount(paths.target);
  std::filesystem::remove_all(scratch, ec);
  if (!mounted) {
    return make_error(Errc::unavailable, mounted.error().message +
                                             "; process isolation needs overlayfs (modprobe overlay) and a data root on a "
                                             "file system overlayfs accepts as upper (ext4, xfs; not overlayfs itself)");
  }
  return {};
}

}  // namespace silo::engine::runc
