// TEST ONLY. Loads the vmcompute.dll double (its path from SILO_VMCOMPUTE_DOUBLE_PATH), resets it,
// and gives the tests its controls and a VmcomputeLayerApi resolved from it. Unloads it again when
// destroyed, so a later test sees a process with no vmcompute.dll in it.
#pragma once

#include "core/engine/hcs/storage/vmcompute_layer_api.h"
#include "tests/windows/vmcompute_double/vmcompute_double.h"

#include <windows.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace silo::hcs::storage::testing {

class VmcomputeDoubleHandle {
 public:
  VmcomputeDoubleHandle() = default;
  VmcomputeDoubleHandle(const VmcomputeDoubleHandle&) = delete;
  VmcomputeDoubleHandle& operator=(const VmcomputeDoubleHandle&) = delete;
  ~VmcomputeDoubleHandle() {
    api_.reset();
    if (module_ != nullptr) FreeLibrary(module_);
  }

  // Empty text when loaded; otherwise why not (the test asserts on it).
  std::string load(const char* path) {
    module_ = LoadLibraryA(path);
    if (module_ == nullptr) return std::string("cannot load the double ") + path;
    script_ = lookup<VmcomputeDoubleScriptFn>("VmcomputeDoubleScript");
    set_mount_path_ = lookup<VmcomputeDoubleSetMountPathFn>("VmcomputeDoubleSetMountPath");
    call_log_ = lookup<VmcomputeDoubleCallLogFn>("VmcomputeDoubleCallLog");
    set_prepare_delay_ = lookup<VmcomputeDoubleSetPrepareDelayFn>("VmcomputeDoubleSetPrepareDelay");
    most_concurrent_prepares_ = lookup<VmcomputeDoubleMostConcurrentPreparesFn>("VmcomputeDoubleMostConcurrentPrepares");
    auto reset = lookup<VmcomputeDoubleResetFn>("VmcomputeDoubleReset");
    if (script_ == nullptr || set_mount_path_ == nullptr || call_log_ == nullptr || set_prepare_delay_ == nullptr ||
        most_concurrent_prepares_ == nullptr || reset == nullptr) {
      return std::string("the double at ") + path + " lacks its control exports";
    }
    reset();
    HMODULE module = module_;
    auto api = resolve_vmcompute_layers([module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    });
    if (!api) return api.error().message;
    api_ = std::make_shared<const VmcomputeLayerApi>(*api);
    return {};
  }

  std::shared_ptr<const VmcomputeLayerApi> api() const { return api_; }
  // The next `times` calls of `function` return `hresult`.
  void script(const char* function, long hresult, int times = 1) const { script_(function, hresult, times); }
  void set_mount_path(const std::string& path) const { set_mount_path_(path.c_str()); }
  void set_prepare_delay(int milliseconds) const { set_prepare_delay_(milliseconds); }
  int most_concurrent_prepares() const { return most_concurrent_prepares_(); }
  // Every call so far: [{"function": ..., "args": {...}}, ...].
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
  VmcomputeDoubleScriptFn script_ = nullptr;
  VmcomputeDoubleSetMountPathFn set_mount_path_ = nullptr;
  VmcomputeDoubleCallLogFn call_log_ = nullptr;
  VmcomputeDoubleSetPrepareDelayFn set_prepare_delay_ = nullptr;
  VmcomputeDoubleMostConcurrentPreparesFn most_concurrent_prepares_ = nullptr;
  std::shared_ptr<const VmcomputeLayerApi> api_;
};

}  // namespace silo::hcs::storage::testing
