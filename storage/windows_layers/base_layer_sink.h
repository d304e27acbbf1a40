// A base layer written in place, as hcsshim's baseLayerWriter writes one
// (internal/wclayer/baselayerwriter.go): each entry is created as itself, never over something
// that exists, with read, write, WRITE_DAC, WRITE_OWNER and ACCESS_SYSTEM_SECURITY and backup
// semantics; its attributes and times are set at once (so writing the stream does not move them),
// and its backup stream is restored with BackupWrite, security descriptor included. Folders' times
// are set again at the end (reapply_folder_times), because creating what is inside a folder
// changes them. The caller holds SeBackupPrivilege and SeRestorePrivilege (backup_privileges.h).
#pragma once

#include "storage/windows_layers/import_folder.h"

#include <windows.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace silo::windows_layers {

// ::BackupWrite's shape. The tests under Wine, which has no BackupWrite, pass a stand-in.
using BackupWriteFn = BOOL(WINAPI*)(HANDLE file, LPBYTE buffer, DWORD size, LPDWORD written, BOOL abort,
                                    BOOL process_security, LPVOID* context);

class Win32BaseLayerSink final : public ImportFolderSink {
 public:
  Win32BaseLayerSink(std::filesystem::path root, BackupWriteFn backup_write);
  ~Win32BaseLayerSink() override;
  Win32BaseLayerSink(const Win32BaseLayerSink&) = delete;
  Win32BaseLayerSink& operator=(const Win32BaseLayerSink&) = delete;

  Result<void> create_entry(const std::string& name, bool folder, std::uint32_t attributes, const FileTimes& times) override;
  Result<void> write(std::span<const char> bytes) override;
  Result<void> close_file(const FileTimes& times) override;
  // Only the import-folder layout creates folders and files by these; refused here.
  Result<void> create_folder(const std::string& name) override;
  Result<void> create_file(const std::string& name) override;

  // Sets every folder's times again; call after the last entry and the hard links.
  Result<void> reapply_folder_times();

 private:
  void release_stream();

  std::filesystem::path root_;
  BackupWriteFn backup_write_;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  LPVOID context_ = nullptr;  // BackupWrite's state for the open entry
  std::string name_;
  std::vector<std::pair<std::string, FileTimes>> folders_;
};

}  // namespace silo::windows_layers
