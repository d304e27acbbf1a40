// The HCS backend over the test-only computecore.dll double (tests/windows/hcs_double), under Wine:
// layer folders in a temporary directory, the double's call log, and an exit recorder. Events are
// fired by the tests, and the double delivers them on the test's thread, so exits are recorded by
// the time a fire call returns.
#pragma once

#include "core/engine/hcs/backend/hcs_backend.h"
#include "tests/windows/hcs_double/hcs_double.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend::testing {

using nlohmann::json;
using Names = std::vector<std::string>;

inline constexpr unsigned kSystemExited = 0x00000001;
inline constexpr unsigned kProcessExited = 0x00010000;

class HcsBackendTest;

// The requests a VM got, as "<RequestType> <ResourcePath or guest ResourceType>" (VSMB shares as "share").
Names vm_requests(const std::vector<json>& calls);

// The network a hyperv sandbox's placement gives: one endpoint in one namespace.
inline constexpr const char* kSandboxNamespace = "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a";
inline constexpr const char* kSandboxEndpoint = "0f1e2d3c-4b5a-4697-8877-665544332211";
VmNetwork sandbox_vm_network();

// Hands out the layer folders in the test's layers_ and records every prepare and release.
class RecordingPlacement final : public PlacementProvider {
 public:
  explicit RecordingPlacement(HcsBackendTest& test) : test_(test) {}
  Result<HcsPlacement> prepare(const LaunchRequest& request) override;
  Result<void> release(const std::string& container_id, const std::string& sandbox_id) override;

 private:
  HcsBackendTest& test_;
};

class HcsBackendTest : public ::testing::Test {
 protected:
  friend class RecordingPlacement;
  void SetUp() override;
  void TearDown() override;

  // A backend for `isolation` whose placement gives the layer folders in layers_.
  std::unique_ptr<HcsBackend> make_backend(Isolation isolation);
  LaunchRequest request(const std::string& id, const std::string& sandbox, Isolation isolation) const;

  json calls() const;
  Names names() const;
  std::vector<json> find_calls(const std::string& name) const;
  json find_call(const std::string& name) const;  // the first one
  unsigned last_pid() const;                       // of the latest HcsSetProcessCallback
  std::string log_text(const std::filesystem::path& state_dir) const;
  std::optional<ExitStatus> exit_of(const std::string& id, const std::string& exec_id = "");

  std::filesystem::path root_;
  std::vector<hcs::LayerFolder> layers_;  // top layer first, base layer last
  Names prepared_;                        // container ids the placement prepared
  Names released_;                        // "<container id>@<sandbox id>" it released
  std::optional<std::string> network_namespace_;  // what the placement gives a hyperv container
  std::optional<VmNetwork> vm_network_;
  // What a new utility VM's guest answers for GuestConnection (scripted by make_backend for hyperv):
  // a Windows Server 2025 guest that makes namespaces, takes signals and runs HostProcess containers.
  std::string guest_connection_ = kFullGuest;
  static constexpr const char* kFullGuest =
      R"({"GuestConnectionInfo":{"ProtocolVersion":4,"GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,)"
      R"("SignalProcessSupported":true,"HostProcessContainerSupported":true}}})";
  HMODULE module_ = nullptr;
  HcsDoubleScriptFn script_ = nullptr;
  HcsDoubleResetFn reset_ = nullptr;
  HcsDoubleCallLogFn call_log_ = nullptr;
  HcsDoubleFireSystemEventFn fire_system_ = nullptr;
  HcsDoubleFireProcessEventFn fire_process_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, ExitStatus> exits_;  // "<id>/<exec id>"
  int exit_reports_ = 0;
};

}  // namespace silo::engine::hcs_backend::testing
