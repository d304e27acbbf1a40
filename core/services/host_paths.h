// Host paths as the host resolves them, for the host-access rule (core/model/host_access.h):
// every symlink followed, so "/srv/data/link" that points at /etc is judged as /etc.
#pragma once

#include "core/errors.h"

#include <string>
#include <vector>

namespace silo::services {

// The canonical absolute form of an existing path (std::filesystem::canonical: every symlink,
// '.' and '..' resolved); not_found or invalid_argument naming the path otherwise.
Result<std::string> resolve_host_path(const std::string& path);

// The operator-mount-roots of the configuration, each checked (absolute, an existing folder) and
// resolved as resolve_host_path does, so a root that is itself a symlink is kept as its target.
Result<std::vector<std::string>> resolve_mount_roots(const std::vector<std::string>& roots);

}  // namespace silo::services
