// A DLL loaded from System32 only, and proven to come from there: LoadLibraryEx with
// LOAD_LIBRARY_SEARCH_SYSTEM32 still hands back a module of the same name that is already loaded
// from elsewhere, so the module's path is checked too. Used for computecore.dll and vmcompute.dll,
// which silo never links (silod must start on hosts without them, and under Wine).
#pragma once

#include <windows.h>

#include "core/errors.h"

#include <memory>
#include <string>
#include <string_view>

namespace silo::hcs::computecore {

class System32Library {
 public:
  explicit System32Library(HMODULE module) : module_(module) {}
  System32Library(const System32Library&) = delete;
  System32Library& operator=(const System32Library&) = delete;
  ~System32Library() { FreeLibrary(module_); }

  // The export's address; unavailable naming the DLL and the export when it has none.
  Result<void*> symbol(std::string_view dll_name, std::string_view export_name) const;

 private:
  HMODULE module_;
};

// unavailable, with `install_hint` appended, when System32 has no such DLL; unavailable when the
// module in this process came from another folder.
Result<std::shared_ptr<System32Library>> load_system32_library(const std::wstring& dll_name,
                                                                 std::string_view install_hint);

}  // namespace silo::hcs::computecore
