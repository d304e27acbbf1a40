// Filling a table of function pointers from a DLL's exports, and loading such a table from a
// System32 DLL so the pointers live exactly as long as the library: the one mechanism behind
// computecore, computestorage, computenetwork and vmcompute's layer API.
#pragma once

#include "core/engine/hcs/computecore/system32_library.h"
#include "core/errors.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace silo::hcs::computecore {

// Looks up one export by name; an error when the DLL lacks it.
using ExportResolver = std::function<Result<void*>(std::string_view export_name)>;

// Sets `slot` to the export `name`, or returns why it cannot.
template <typename F>
Result<void> bind_export(const ExportResolver& resolve, std::string_view name, F& slot) {
  auto address = resolve(name);
  if (!address) return address.error();
  slot = reinterpret_cast<F>(*address);
  return {};
}

// `dll_name` from System32 only (System32Library), its table filled by `resolve_table`. The table
// shares the library's lifetime: its pointers stay valid while anyone holds it. unavailable, with
// `remedy`, when the host has no such DLL.
template <typename Api>
Result<std::shared_ptr<const Api>> load_system_api_table(std::string_view dll_name, const std::string& remedy,
                                                         Result<Api> (*resolve_table)(const ExportResolver&)) {
  auto library = load_system32_library(std::wstring(dll_name.begin(), dll_name.end()), remedy);
  if (!library) return library.error();
  struct Loaded {
    std::shared_ptr<System32Library> library;
    Api api;
  };
  auto loaded = std::make_shared<Loaded>();
  loaded->library = *library;
  auto api = resolve_table([&](std::string_view name) { return loaded->library->symbol(dll_name, name); });
  if (!api) return api.error();
  loaded->api = *api;
  return std::shared_ptr<const Api>(loaded, &loaded->api);
}

}  // namespace silo::hcs::computecore
