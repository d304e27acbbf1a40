#include "core/engine/windows/system_library.h"

#include "core/platform/windows/wide_text.h"
#include "core/platform/windows/win32_error.h"

#include <windows.h>

#include <utility>

namespace silo::engine::windows {

Result<SystemLibrary> SystemLibrary::load(std::string_view dll_name) {
  const std::wstring wide = platform::windows::to_wide(dll_name);
  HMODULE module = LoadLibraryExW(wide.c_str(), nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (module == nullptr) {
    const DWORD err = GetLastError();
    return platform::windows::win32_error(Errc::not_found, std::string(dll_name) + " not found in System32", err);
  }
  return SystemLibrary(std::string(dll_name), module);
}

SystemLibrary::SystemLibrary(SystemLibrary&& other) noexcept
    : name_(std::move(other.name_)), module_(std::exchange(other.module_, nullptr)) {}

SystemLibrary& SystemLibrary::operator=(SystemLibrary&& other) noexcept {
  if (this != &other) {
    if (module_ != nullptr) FreeLibrary(static_cast<HMODULE>(module_));
    name_ = std::move(other.name_);
    module_ = std::exchange(other.module_, nullptr);
  }
  return *this;
}

SystemLibrary::~SystemLibrary() {
  if (module_ != nullptr) FreeLibrary(static_cast<HMODULE>(module_));
}

Result<void*> SystemLibrary::symbol(std::string_view export_name) const {
  const std::string name(export_name);
  FARPROC address = GetProcAddress(static_cast<HMODULE>(module_), name.c_str());
  if (address == nullptr) {
    const DWORD err = GetLastError();
    return platform::windows::win32_error(Errc::not_found, name_ + " has no export " + name + " (a newer Windows build has it)", err);
  }
  // FARPROC -> void*: the caller casts back to the real function type.
  return reinterpret_cast<void*>(address);
}

}  // namespace silo::engine::windows
