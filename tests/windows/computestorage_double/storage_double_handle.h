// TEST ONLY. Loads the computestorage.dll double (its path from SILO_STORAGE_DOUBLE_PATH), resets
// it, and gives the tests its controls and a ComputeStorageApi resolved from it.
#pragma once

#include "core/engine/hcs/storage/compute_storage_api.h"
#include "tests/windows/computestorage_double/computestorage_double.h"

#include <windows.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace silo::hcs::storage::testing {

class StorageDoubleHandle {
 public:
  // Empty error text when loaded; otherwise why not (the test asserts on it).
  std::string load(const char* path) {
    module_ = LoadLibraryA(path);
    if (module_ == nullptr) return std::string("cannot load the double ") + path;
    script_ = lookup<StorageDoubleScriptFn>("StorageDoubleScript");
    call_log_ = lookup<StorageDoubleCallLogFn>("StorageDoubleCallLog");
    lookup<StorageDoubleResetFn>("StorageDoubleReset")();
    HMODULE module = module_;
    auto api = resolve_compute_storage([module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    });
    if (!api) return api.error().message;
    api_ = std::make_shared<const ComputeStorageApi>(*api);
    return {};
  }

  std::shared_ptr<const ComputeStorageApi> api() const { return api_; }
  // The HRESULT the next call to `function` returns.
  void script(const char* function, long hresult) const { script_(function, hresult); }
  // Every call so far: [{"function": ..., "args": [...]}, ...].
  nlohmann::json calls() const {
    std::string text(static_cast<std::size_t>(call_log_(nullptr, 0)), '\0');
    call_log_(text.data(), static_cast<int>(text.size()));
    return nlohmann::json::parse(text);
  }

 private:
  template <typename F>
  F lookup(const char* name) const {
    return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module_, name)));
  }

  HMODULE module_ = nullptr;
  StorageDoubleScriptFn script_ = nullptr;
  StorageDoubleCallLogFn call_log_ = nullptr;
  std::shared_ptr<const ComputeStorageApi> api_;
};

}  // namespace silo::hcs::storage::testing
