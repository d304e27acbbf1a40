// Files that must never be seen half-written (exit status, monitor identity): written to a
// temporary sibling, flushed to disk (unless the caller says it need not be), then renamed over
// the target, so a reader sees the old content or the new one, even across a crash.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace silo::platform {

// What a written file must survive. Both keep the rename atomic (a reader never sees half a file).
//   host_crash     flushed to disk before and after the rename (fsync of the file and its folder)
//   process_crash  left to the page cache: survives any process being killed, not a power loss.
//                  Only for files that describe live processes (a monitor's configuration and
//                  identity), which a host crash ends anyway: after a reboot a missing or empty file
//                  reads as "not running", the same answer the file would have given.
enum class Durability { host_crash, process_crash };

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   Durability durability = Durability::host_crash);

// The whole file; not_found when it does not exist.
Result<std::string> read_small_file(const std::filesystem::path& path);

}  // namespace silo::platform
