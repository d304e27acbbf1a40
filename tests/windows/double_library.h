// TEST ONLY. A test double DLL loaded by full path: its control exports by name, and a resolver
// for the product's resolve_* tables (which take the double where System32's DLL would be). Freed
// when destroyed, so a later test sees a process without it.
#pragma once

#include "core/errors.h"

#include <windows.h>

#include <functional>
#include <string>
#include <string_view>

namespace silo::testing {

class DoubleLibrary {
 public:
  DoubleLibrary() = default;
  DoubleLibrary(const DoubleLibrary&) = delete;
  DoubleLibrary& operator=(const DoubleLibrary&) = delete;
  ~DoubleLibrary() {
    if (module_ != nullptr) FreeLibrary(module_);
  }

  // Empty text when loaded; otherwise why not.
  std::string open(const char* path) {
    module_ = LoadLibraryA(path);
    return module_ == nullptr ? std::string("cannot load the double ") + path : std::string();
  }

  template <typename F>
  F lookup(const char* name) const {
    return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module_, name)));
  }

  std::function<Result<void*>(std::string_view)> resolver() const {
    HMODULE module = module_;
    return [module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    };
  }

 private:
  HMODULE module_ = nullptr;
};

}  // namespace silo::testing
