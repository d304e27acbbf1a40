// TEST ONLY. A stand-in for ::BackupWrite, which Wine does not implement (it fails with
// ERROR_NOT_SUPPORTED). It reads the backup stream exactly as BackupWrite is handed it, in pieces
// of any size, keeping its parse state in BackupWrite's context pointer: the unnamed data stream
// is written to the file, every other stream (security descriptor, extended attributes, reparse
// data, alternate streams) is only recorded. A call with abort set frees the state and files what
// the entry received, so the tests see which streams reached which file and that every context
// was released.
#pragma once

#include <windows.h>

#include <cstdint>
#include <string>
#include <vector>

namespace silo::windows_layers::testing {

struct RestoredEntry {
  std::string name;                      // the file's or folder's name (the last path component)
  std::vector<std::uint32_t> stream_ids;  // WIN32_STREAM_ID.dwStreamId values, in order
};

BOOL WINAPI backup_write_standin(HANDLE file, LPBYTE buffer, DWORD size, LPDWORD written, BOOL abort, BOOL process_security,
                                 LPVOID* context);

// What the stand-in restored since the last reset, entry by entry, and the contexts not yet freed.
std::vector<RestoredEntry> restored_entries();
int open_standin_contexts();
void reset_backup_write_standin();

}  // namespace silo::windows_layers::testing
