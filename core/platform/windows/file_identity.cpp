// The Windows body of file_identity.h: the volume serial number and the 64-bit file index. The
// file is opened with every share mode so the writer can keep writing, rotating and deleting.
#include "core/platform/file_identity.h"

#include "core/platform/windows/unique_handle.h"

#include <windows.h>

namespace silo::platform {

std::optional<FileIdentity> identify_file(const std::filesystem::path& path) {
  windows::UniqueHandle file(CreateFileW(path.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                         OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  if (!file) return std::nullopt;
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(file.get(), &info)) return std::nullopt;
  return FileIdentity{info.dwVolumeSerialNumber,
                      (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow};
}

}  // namespace silo::platform
