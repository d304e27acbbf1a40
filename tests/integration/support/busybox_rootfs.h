// A root file system for process-isolated containers, built at test time from Debian's
// busybox-static: bin/busybox, the applets the tests call, and an /etc/passwd and /etc/group with a
// non-root user (app, uid 1000, also in staff).
#pragma once

#include <filesystem>
#include <string>

namespace silo::testing {

inline constexpr const char* kBusybox = "/bin/busybox";

void build_busybox_rootfs(const std::filesystem::path& root);

// tar -cf tar_path -C root .; false with tar's error in *why.
bool pack_rootfs(const std::filesystem::path& root, const std::string& tar_path, std::string* why);

}  // namespace silo::testing
