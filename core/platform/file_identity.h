// Whether a path still names the file we opened earlier: log followers use it to notice that the
// writer rotated the log under them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace silo::platform {

struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;

  bool operator==(const FileIdentity&) const = default;
};

// nullopt when the path does not exist (or cannot be examined).
std::optional<FileIdentity> identify_file(const std::filesystem::path& path);

}  // namespace silo::platform
