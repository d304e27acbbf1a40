// The Win32 backup stream format (what BackupRead produces and BackupWrite consumes), written
// portably: HCS's layer import reads each file of an import folder as its attributes followed by
// such a stream (storage/windows_layers/import_folder.h). Layouts follow the Windows SDK
// (WIN32_STREAM_ID, FILE_FULL_EA_INFORMATION, REPARSE_DATA_BUFFER); byte order is little-endian.
#pragma once

#include "core/errors.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silo::windows_layers {

// WIN32_STREAM_ID.dwStreamId values (winbase.h).
enum class BackupStreamId : std::uint32_t {
  data = 1,            // BACKUP_DATA: the unnamed data stream
  extended_attributes = 2,  // BACKUP_EA_DATA
  security = 3,        // BACKUP_SECURITY_DATA: a self-relative security descriptor
  alternate_data = 4,  // BACKUP_ALTERNATE_DATA: a named stream, name ":name:$DATA"
  reparse = 8,         // BACKUP_REPARSE_DATA: a REPARSE_DATA_BUFFER
};

inline constexpr std::uint32_t kReparseTagMountPoint = 0xA0000003;  // IO_REPARSE_TAG_MOUNT_POINT
inline constexpr std::uint32_t kReparseTagSymlink = 0xA000000C;     // IO_REPARSE_TAG_SYMLINK
inline constexpr std::uint32_t kFileAttributeDirectory = 0x10;      // FILE_ATTRIBUTE_DIRECTORY
inline constexpr std::uint32_t kFileAttributeReparsePoint = 0x400;  // FILE_ATTRIBUTE_REPARSE_POINT

void append_u16(std::string& out, std::uint16_t value);
void append_u32(std::string& out, std::uint32_t value);
void append_u64(std::string& out, std::uint64_t value);

// A WIN32_STREAM_ID header (20 bytes, then the UTF-16LE name); `size` bytes of data follow it.
void append_stream_header(std::string& out, BackupStreamId id, std::uint64_t size, std::u16string_view name = {});

// A REPARSE_DATA_BUFFER for a symbolic link (or, with mount_point, a junction) to `target`, given
// with backslashes. Absolute targets (C:\x, \\?\x, \\server\share) get their NT form as the
// substitute name; anything else is a relative symlink (flag SYMLINK_FLAG_RELATIVE).
Result<std::string> encode_reparse_point(std::string_view target_utf8, bool mount_point);

// A FILE_FULL_EA_INFORMATION chain; names are at most 255 bytes and values 65535.
Result<std::string> encode_extended_attributes(const std::vector<std::pair<std::string, std::string>>& attributes);

}  // namespace silo::windows_layers
