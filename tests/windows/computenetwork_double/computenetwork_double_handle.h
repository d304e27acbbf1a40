// TEST ONLY. Loads the computenetwork.dll double (its path from SILO_HCN_DOUBLE_PATH), resets it,
// and gives the tests its controls and a ComputeNetworkApi resolved from it. Unloads it again when
// destroyed.
#pragma once

#include "core/engine/hcs/network/compute_network_api.h"
#include "tests/windows/computenetwork_double/computenetwork_double.h"
#include "tests/windows/double_library.h"

#include <windows.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace silo::hcn::testing {

class ComputeNetworkDoubleHandle {
 public:
  ComputeNetworkDoubleHandle() = default;
  ComputeNetworkDoubleHandle(const ComputeNetworkDoubleHandle&) = delete;
  ComputeNetworkDoubleHandle& operator=(const ComputeNetworkDoubleHandle&) = delete;

  // Empty text when loaded; otherwise why not (the test asserts on it).
  std::string load(const char* path) {
    if (auto opened = library_.open(path); !opened.empty()) return opened;
    script_ = library_.lookup<HcnDoubleScriptFn>("HcnDoubleScript");
    call_log_ = library_.lookup<HcnDoubleCallLogFn>("HcnDoubleCallLog");
    add_network_ = library_.lookup<HcnDoubleAddNetworkFn>("HcnDoubleAddNetwork");
    auto reset = library_.lookup<HcnDoubleResetFn>("HcnDoubleReset");
    if (script_ == nullptr || call_log_ == nullptr || add_network_ == nullptr || reset == nullptr) {
      return std::string("the double at ") + path + " lacks its control exports";
    }
    reset();
    auto api = resolve_compute_network(library_.resolver());
    if (!api) return api.error().message;
    api_ = std::make_shared<const ComputeNetworkApi>(*api);
    return {};
  }

  std::shared_ptr<const ComputeNetworkApi> api() const { return api_; }
  // The next call of `function` returns `hresult` with `error_record`, and `document` (when not
  // null) as its output.
  void script(const char* function, long hresult, const char* error_record = "", const char* document = nullptr) const {
    script_(function, hresult, error_record, document);
  }
  void add_network(const char* name, const char* id) const { add_network_(name, id); }
  // Every call so far: [{"function": ..., ...}, ...].
  nlohmann::json calls() const {
    std::string text(static_cast<std::size_t>(call_log_(nullptr, 0)), '\0');
    call_log_(text.data(), static_cast<int>(text.size()));
    text.resize(text.size() - 1);
    return nlohmann::json::parse(text);
  }

 private:
  silo::testing::DoubleLibrary library_;  // first in, last out: the api table goes before the DLL
  HcnDoubleScriptFn script_ = nullptr;
  HcnDoubleCallLogFn call_log_ = nullptr;
  HcnDoubleAddNetworkFn add_network_ = nullptr;
  std::shared_ptr<const ComputeNetworkApi> api_;
};

}  // namespace silo::hcn::testing
