// A DLL from System32 loaded at run time (LoadLibraryExW with LOAD_LIBRARY_SEARCH_SYSTEM32, so a
// DLL planted in the current or the executable's folder is never picked up), and its exports
// resolved with GetProcAddress. silo never links computecore, computestorage, computenetwork,
// vmcompute or bindfltapi: silod must start on hosts (and under Wine) that lack them.
// No <windows.h> here; callers cast symbols to the function types of the SDK headers.
#pragma once

#include "core/errors.h"

#include <string>
#include <string_view>

namespace silo::engine::windows {

class SystemLibrary {
 public:
  // not_found naming the DLL when System32 has no such DLL (or it cannot be loaded).
  static Result<SystemLibrary> load(std::string_view dll_name);

  SystemLibrary(SystemLibrary&& other) noexcept;
  SystemLibrary& operator=(SystemLibrary&& other) noexcept;
  SystemLibrary(const SystemLibrary&) = delete;
  SystemLibrary& operator=(const SystemLibrary&) = delete;
  ~SystemLibrary();

  // The export's address; not_found naming the DLL and the export when it has none (an older
  // Windows build).
  Result<void*> symbol(std::string_view export_name) const;
  // symbol(), cast to the function type `F` (e.g. decltype(&HcsCreateComputeSystem)).
  template <typename F>
  Result<F> function(std::string_view export_name) const {
    auto address = symbol(export_name);
    if (!address) return address.error();
    return reinterpret_cast<F>(*address);
  }

  const std::string& name() const { return name_; }

 private:
  SystemLibrary(std::string name, void* module) : name_(std::move(name)), module_(module) {}

  std::string name_;
  void* module_ = nullptr;  // HMODULE
};

}  // namespace silo::engine::windows
