#include "core/platform/file_identity.h"

#include <sys/stat.h>

namespace silo::platform {

std::optional<FileIdentity> identify_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)};
}

}  // namespace silo::platform
