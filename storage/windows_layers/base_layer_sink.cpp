#include "storage/windows_layers/base_layer_sink.h"

#include "core/platform/windows/win32_error.h"
#include "storage/windows_layers/win32_folder_sink.h"  // win32_path

#include <algorithm>

namespace silo::windows_layers {
namespace {

using platform::windows::win32_error;

FILE_BASIC_INFO basic_info(const FileTimes& times, std::uint32_t attributes) {
  FILE_BASIC_INFO info{};
  info.CreationTime.QuadPart = times.creation;
  info.LastAccessTime.QuadPart = times.last_access;
  info.LastWriteTime.QuadPart = times.last_write;
  info.ChangeTime.QuadPart = times.change;
  info.FileAttributes = attributes;  // 0 leaves them as they are
  return info;
}

// FILE_FLAG_OPEN_REPARSE_POINT: a link's stream sets its reparse data; never follow it.
constexpr DWORD kEntryFlags = FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT;

}  // namespace

Win32BaseLayerSink::Win32BaseLayerSink(std::filesystem::path root, BackupWriteFn backup_write)
    : root_(std::move(root)), backup_write_(backup_write) {}

Win32BaseLayerSink::~Win32BaseLayerSink() {
  release_stream();
  if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
}

Result<void> Win32BaseLayerSink::create_folder(const std::string& name) {
  return make_error(Errc::internal, "a base layer is written in place; " + name + " needs create_entry");
}

Result<void> Win32BaseLayerSink::create_file(const std::string& name) { return create_folder(name); }

Result<void> Win32BaseLayerSink::create_entry(const std::string& name, bool folder, std::uint32_t attributes,
                                              const FileTimes& times) {
  if (file_ != INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the base layer writer has " + name_ + " still open");
  const std::wstring path = win32_path(root_, name);
  // A folder is made first and then opened; a file is created by the open itself. Neither step
  // opens anything that was already there.
  if (folder && !CreateDirectoryW(path.c_str(), nullptr)) {
    return win32_error(Errc::internal, "cannot create the folder " + name + " of the base layer", GetLastError());
  }
  const DWORD access = GENERIC_READ | GENERIC_WRITE | WRITE_DAC | WRITE_OWNER | ACCESS_SYSTEM_SECURITY;
  file_ = CreateFileW(path.c_str(), access, FILE_SHARE_READ, nullptr, folder ? OPEN_EXISTING : CREATE_NEW, kEntryFlags, nullptr);
  if (file_ == INVALID_HANDLE_VALUE) {
    return win32_error(Errc::internal, "cannot create " + name + " of the base layer", GetLastError());
  }
  name_ = name;
  FILE_BASIC_INFO info = basic_info(times, attributes);
  if (!SetFileInformationByHandle(file_, FileBasicInfo, &info, sizeof info)) {
    return win32_error(Errc::internal, "cannot set the attributes and times of " + name + " of the base layer", GetLastError());
  }
  if (folder) folders_.emplace_back(name, times);
  return {};
}

Result<void> Win32BaseLayerSink::write(std::span<const char> bytes) {
  if (file_ == INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the base layer writer has no open entry");
  while (!bytes.empty()) {
    const DWORD piece = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1U << 30));
    DWORD written = 0;
    auto* data = reinterpret_cast<LPBYTE>(const_cast<char*>(bytes.data()));  // BackupWrite only reads it
    if (!backup_write_(file_, data, piece, &written, FALSE, TRUE, &context_)) {
      return win32_error(Errc::internal, "BackupWrite of " + name_ + " of the base layer", GetLastError());
    }
    if (written != piece) {
      return make_error(Errc::internal, "BackupWrite of " + name_ + " of the base layer took " + std::to_string(written) +
                                            " of " + std::to_string(piece) + " bytes");
    }
    bytes = bytes.subspan(piece);
  }
  return {};
}

void Win32BaseLayerSink::release_stream() {
  if (context_ == nullptr) return;
  DWORD written = 0;
  backup_write_(file_, nullptr, 0, &written, TRUE, FALSE, &context_);  // abort = free BackupWrite's state
  context_ = nullptr;
}

Result<void> Win32BaseLayerSink::close_file(const FileTimes&) {
  if (file_ == INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the base layer writer has no open entry");
  release_stream();
  const BOOL closed = CloseHandle(file_);
  file_ = INVALID_HANDLE_VALUE;
  if (!closed) return win32_error(Errc::internal, "cannot close " + name_ + " of the base layer", GetLastError());
  return {};
}

Result<void> Win32BaseLayerSink::reapply_folder_times() {
  for (const auto& [name, times] : folders_) {
    HANDLE folder = CreateFileW(win32_path(root_, name).c_str(), FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ, nullptr,
                                OPEN_EXISTING, kEntryFlags, nullptr);
    if (folder == INVALID_HANDLE_VALUE) {
      return win32_error(Errc::internal, "cannot open the folder " + name + " of the base layer", GetLastError());
    }
    FILE_BASIC_INFO info = basic_info(times, 0);
    const BOOL stamped = SetFileInformationByHandle(folder, FileBasicInfo, &info, sizeof info);
    const DWORD error = GetLastError();
    CloseHandle(folder);
    if (!stamped) return win32_error(Errc::internal, "cannot set the times of the folder " + name + " of the base layer", error);
  }
  return {};
}

}  // namespace silo::windows_layers
