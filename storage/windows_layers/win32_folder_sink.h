// The import folder on a Windows disk: folders and files created with the W functions (UTF-16
// names, long paths through the \\?\ prefix), each file stamped with its entry's times. Only
// checked relative names reach it (import_folder.h), and it only ever creates new items: an
// existing file or folder is an error, so nothing is written through something already there.
#pragma once

#include "storage/windows_layers/import_folder.h"

#include <windows.h>

#include <filesystem>

namespace silo::windows_layers {

class Win32FolderSink final : public ImportFolderSink {
 public:
  explicit Win32FolderSink(std::filesystem::path root);
  ~Win32FolderSink() override;
  Win32FolderSink(const Win32FolderSink&) = delete;
  Win32FolderSink& operator=(const Win32FolderSink&) = delete;

  Result<void> create_folder(const std::string& name) override;
  Result<void> create_file(const std::string& name) override;
  Result<void> write(std::span<const char> bytes) override;
  Result<void> close_file(const FileTimes& times) override;

 private:
  std::wstring path_of(const std::string& name) const;

  std::filesystem::path root_;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  std::string file_name_;
};

// `root / name` for the W functions: '/' becomes '\', and an absolute path gets the \\?\ prefix so
// names longer than MAX_PATH work.
std::wstring win32_path(const std::filesystem::path& root, const std::string& name);

}  // namespace silo::windows_layers
