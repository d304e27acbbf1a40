// TEST ONLY. Loads the computestorage.dll double (its path from SILO_STORAGE_DOUBLE_PATH), resets
// it, and gives the tests its controls and a ComputeStorageApi resolved from it.
#pragma once

#include "core/engine/hcs/storage/compute_storage_api.h"
#include "tests/windows/computestorage_double/computestorage_double.h"
#include "tests/windows/double_library.h"

#include <windows.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace silo::hcs::storage::testing {

class StorageDoubleHandle {
 public:
  // Empty error text when loaded; otherwise why not (the test asserts on it).
  std::string load(const char* path) {
    if (auto opened = library_.open(path); !opened.empty()) return opened;
    script_ = library_.lookup<StorageDoubleScriptFn>("StorageDoubleScript");
    call_log_ = library_.lookup<StorageDoubleCallLogFn>("StorageDoubleCallLog");
    library_.lookup<StorageDoubleResetFn>("StorageDoubleReset")();
    auto api = resolve_compute_storage(library_.resolver());
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
  silo::testing::DoubleLibrary library_;  // first in, last out: the api table goes before the DLL
  StorageDoubleScriptFn script_ = nullptr;
  StorageDoubleCallLogFn call_log_ = nullptr;
  std::shared_ptr<const ComputeStorageApi> api_;
};

}  // namespace silo::hcs::storage::testing
