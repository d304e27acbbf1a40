#include "storage/windows_layers/win32_folder_sink.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <algorithm>

namespace silo::windows_layers {
namespace {

LARGE_INTEGER large(std::int64_t value) {
  LARGE_INTEGER out;
  out.QuadPart = value;
  return out;
}

}  // namespace

std::wstring win32_path(const std::filesystem::path& root, const std::string& name) {
  std::wstring path = root.wstring();
  for (auto& c : path) c = c == L'/' ? L'\\' : c;
  if (!path.empty() && path.back() != L'\\') path += L'\\';
  std::wstring relative = platform::windows::to_wide(name);
  for (auto& c : relative) c = c == L'/' ? L'\\' : c;
  path += relative;
  const bool absolute = path.size() > 2 && path[1] == L':' && path[2] == L'\\';
  return absolute ? L"\\\\?\\" + path : path;
}

Win32FolderSink::Win32FolderSink(std::filesystem::path root) : root_(std::move(root)) {}

Win32FolderSink::~Win32FolderSink() {
  if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
}

std::wstring Win32FolderSink::path_of(const std::string& name) const { return win32_path(root_, name); }

Result<void> Win32FolderSink::create_folder(const std::string& name) {
  if (!CreateDirectoryW(path_of(name).c_str(), nullptr)) {
    return platform::windows::win32_error(Errc::internal, "cannot create the folder " + name + " of the layer", GetLastError());
  }
  return {};
}

Result<void> Win32FolderSink::create_file(const std::string& name) {
  if (file_ != INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the import folder writer has " + file_name_ + " still open");
  // FILE_WRITE_ATTRIBUTES for the times set at close; CREATE_NEW: never open what exists.
  file_ = CreateFileW(path_of(name).c_str(), GENERIC_WRITE | FILE_WRITE_ATTRIBUTES, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file_ == INVALID_HANDLE_VALUE) {
    return platform::windows::win32_error(Errc::internal, "cannot create the file " + name + " of the layer", GetLastError());
  }
  file_name_ = name;
  return {};
}

Result<void> Win32FolderSink::write(std::span<const char> bytes) {
  if (file_ == INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the import folder writer has no open file");
  while (!bytes.empty()) {
    const DWORD piece = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1U << 30));
    DWORD written = 0;
    if (!WriteFile(file_, bytes.data(), piece, &written, nullptr)) {
      return platform::windows::win32_error(Errc::internal, "cannot write " + file_name_ + " of the layer", GetLastError());
    }
    bytes = bytes.subspan(written);
  }
  return {};
}

Result<void> Win32FolderSink::close_file(const FileTimes& times) {
  if (file_ == INVALID_HANDLE_VALUE) return make_error(Errc::internal, "the import folder writer has no open file");
  FILE_BASIC_INFO info{};
  info.CreationTime = large(times.creation);
  info.LastAccessTime = large(times.last_access);
  info.LastWriteTime = large(times.last_write);
  info.ChangeTime = large(times.change);
  info.FileAttributes = 0;  // 0 leaves the attributes as they are
  const BOOL stamped = SetFileInformationByHandle(file_, FileBasicInfo, &info, sizeof info);
  const DWORD stamp_error = GetLastError();
  const BOOL closed = CloseHandle(file_);
  file_ = INVALID_HANDLE_VALUE;
  if (!stamped) return platform::windows::win32_error(Errc::internal, "cannot set the times of " + file_name_ + " of the layer", stamp_error);
  if (!closed) return platform::windows::win32_error(Errc::internal, "cannot close " + file_name_ + " of the layer", GetLastError());
  return {};
}

}  // namespace silo::windows_layers
