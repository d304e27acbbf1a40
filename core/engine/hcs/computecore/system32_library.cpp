#include "core/engine/hcs/computecore/system32_library.h"

#include "core/engine/hcs/computecore/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <cwctype>

namespace silo::hcs::computecore {
namespace {

std::wstring lower(std::wstring text) {
  for (wchar_t& c : text) c = static_cast<wchar_t>(towlower(c));
  return text;
}

Result<void> check_from_system32(HMODULE module, const std::string& name) {
  wchar_t system[MAX_PATH] = {};
  wchar_t loaded[MAX_PATH] = {};
  UINT system_length = GetSystemDirectoryW(system, MAX_PATH);
  DWORD loaded_length = GetModuleFileNameW(module, loaded, MAX_PATH);
  std::wstring folder = lower(std::wstring(system, system_length)) + L"\\";
  std::wstring path = lower(std::wstring(loaded, loaded_length));
  if (system_length != 0 && path.compare(0, folder.size(), folder) == 0 &&
      path.find(L'\\', folder.size()) == std::wstring::npos) {
    return {};
  }
  return make_error(Errc::unavailable, name + " in this process was loaded from " + to_utf8(loaded) +
                                           ", not from System32; refusing to use it");
}

}  // namespace

Result<void*> System32Library::symbol(std::string_view dll_name, std::string_view export_name) const {
  FARPROC address = GetProcAddress(module_, std::string(export_name).c_str());
  if (address == nullptr) {
    return make_error(Errc::unavailable, std::string(dll_name) + " has no export " + std::string(export_name) +
                                             " (this Windows build is older than silo supports)");
  }
  return reinterpret_cast<void*>(address);
}

Result<std::shared_ptr<System32Library>> load_system32_library(const std::wstring& dll_name,
                                                                 std::string_view install_hint) {
  std::string name = to_utf8(dll_name.c_str());
  HMODULE module = LoadLibraryExW(dll_name.c_str(), nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (module == nullptr) {
    Error error = platform::windows::last_win32_error("LoadLibrary " + name, Errc::unavailable);
    error.code = Errc::unavailable;
    error.message += "; " + std::string(install_hint);
    return error;
  }
  auto library = std::make_shared<System32Library>(module);
  SILO_TRY(check_from_system32(module, name));
  return library;
}

}  // namespace silo::hcs::computecore
