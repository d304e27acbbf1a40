// TEST ONLY. Loads the vmcompute.dll double (its path from SILO_VMCOMPUTE_DOUBLE_PATH), resets it,
// and gives the tests its controls and a VmcomputeLayerApi resolved from it. Unloads it again when
// destroyed (DoubleLibrary), so a later test sees a process with no vmcompute.dll in it.
#pragma once

#include "core/engine/hcs/storage/vmcompute_layer_api.h"
#include "tests/windows/double_library.h"
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

  // Empty text when loaded; otherwise why not (the test asserts on it).
  std::string load(const char* path) {
    if (auto opened = library_.open(path); !opened.empty()) return opened;
    script_ = library_.lookup<VmcomputeDoubleScriptFn>("VmcomputeDoubleScript");
    set_mount_path_ = library_.lookup<VmcomputeDoubleSetMountPathFn>("VmcomputeDoubleSetMountPath");
    call_log_ = library_.lookup<VmcomputeDoubleCallLogFn>("VmcomputeDoubleCallLog");
    set_prepare_delay_ = library_.lookup<VmcomputeDoubleSetPrepareDelayFn>("VmcomputeDoubleSetPrepareDelay");
    most_concurrent_prepares_ = library_.lookup<VmcomputeDoubleMostConcurrentPreparesFn>("VmcomputeDoubleMostConcurrentPrepares");
    auto reset = library_.lookup<VmcomputeDoubleResetFn>("VmcomputeDoubleReset");
    if (script_ == nullptr || set_mount_path_ == nullptr || call_log_ == nullptr || set_prepare_delay_ == nullptr ||
        most_concurrent_prepares_ == nullptr || reset == nullptr) {
      return std::string("the double at ") + path + " lacks its control exports";
    }
    reset();
    auto api = resolve_vmcompute_layers(library_.resolver());
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
  silo::testing::DoubleLibrary library_;  // first in, last out: the api table goes before the DLL
  VmcomputeDoubleScriptFn script_ = nullptr;
  VmcomputeDoubleSetMountPathFn set_mount_path_ = nullptr;
  VmcomputeDoubleCallLogFn call_log_ = nullptr;
  VmcomputeDoubleSetPrepareDelayFn set_prepare_delay_ = nullptr;
  VmcomputeDoubleMostConcurrentPreparesFn most_concurrent_prepares_ = nullptr;
  std::shared_ptr<const VmcomputeLayerApi> api_;
};

}  // namespace silo::hcs::storage::testing
