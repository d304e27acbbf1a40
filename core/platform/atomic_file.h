// Files that must never be seen half-written (exit status, monitor identity): written to a
// temporary sibling, flushed to disk, then renamed over the target, so a reader sees the old
// content or the new one, even across a crash.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace silo::platform {

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The whole file; not_found when it does not exist.
Result<std::string> read_small_file(const std::filesystem::path& path);

}  // namespace silo::platform
