// Process isolation's placement (core/engine/hcs/placement/process_placement.h) under Wine, against
// the TEST-ONLY vmcompute.dll and computenetwork.dll doubles: the layer chain with its ids, the
// scratch mounted per container, one HCN namespace per sandbox shared by its containers and kept
// on disk, and what every failure leaves behind (nothing). Nothing here talks to a real HCS.
#include "core/engine/hcs/placement/process_placement.h"

#include "core/engine/hcs/network/compute_network_api.h"
#include "tests/windows/computenetwork_double/computenetwork_double_handle.h"
#include "tests/windows/vmcompute_double/vmcompute_double_handle.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Names = std::vector<std::string>;

constexpr long kAccessDenied = static_cast<long>(0x80070005);
const std::string kVolume = "\\\\?\\Volume{5ca7c4a1-0000-4000-8000-000000000001}\\";

Names functions(const json& log) {
  Names names;
  for (const auto& call : log) names.push_back(call["function"].get<std::string>());
  return names;
}

std::size_t count(const Names& names, const std::string& name) {
  return static_cast<std::size_t>(std::count(names.begin(), names.end(), name));
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

class ProcessPlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(vmcompute_.load(SILO_VMCOMPUTE_DOUBLE_PATH), "");
    ASSERT_EQ(hcn_.load(SILO_HCN_DOUBLE_PATH), "");
    network_api_ = hcn_.api();

    root_ = fs::temp_directory_path() / ("silo-placement-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    placement_ = make_placement();
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<ProcessPlacement> make_placement() {
    ProcessPlacementOptions options;
    options.root = root_ / "hcs";
    options.layer_folders = [this](const std::string& id) -> Result<std::vector<fs::path>> {
      ++chain_lookups_;
      if (id != "app") return make_error(Errc::not_found, "layer " + id + " not found");
      return std::vector<fs::path>{"C:\\layers\\app", "C:\\layers\\base"};
    };
    options.layer_guid = [](std::string_view name) -> Result<std::string> {
      return std::string(name == "app" ? "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" : "22222222-2222-2222-2222-222222222222");
    };
    auto mounts = std::make_shared<const hcs::storage::ScratchMounts>(vmcompute_.api());
    options.scratch = [mounts]() -> Result<std::shared_ptr<const hcs::storage::ScratchMounts>> { return mounts; };
    // A new record object each time, as a restarted silod makes one.
    networks_ = std::make_shared<SandboxMemberships>(root_ / "hcs", [this]() -> Result<std::shared_ptr<hcn::SandboxNetworking>> {
      ++networking_loads_;
      return std::make_shared<hcn::SandboxNetworking>(network_api_);
    });
    options.networks = networks_;
    return std::make_unique<ProcessPlacement>(std::move(options));
  }

  LaunchRequest request(const std::string& id, const std::string& sandbox, std::optional<std::string> layer = "app") const {
    LaunchRequest r;
    r.container_id = id;
    r.sandbox_id = sandbox;
    r.spec.layer = std::move(layer);
    r.config.isolation = Isolation::process;
    return r;
  }

  fs::path network_file(const std::string& sandbox_id) const { return networks_->record(sandbox_id); }

  Names hcn_calls() const { return functions(hcn_.calls()); }

  hcs::storage::testing::VmcomputeDoubleHandle vmcompute_;
  hcn::testing::ComputeNetworkDoubleHandle hcn_;
  std::shared_ptr<const hcn::ComputeNetworkApi> network_api_;
  fs::path root_;
  std::shared_ptr<SandboxMemberships> networks_;
  std::unique_ptr<ProcessPlacement> placement_;
  int chain_lookups_ = 0;
  int networking_loads_ = 0;
};

TEST_F(ProcessPlacementTest, PreparesLayersScratchAndTheSandboxNamespace) {
  auto placed = placement_->prepare(request("c1", "pod"));
  ASSERT_TRUE(placed) << placed.error().message;
  ASSERT_EQ(placed->layers.size(), 2u);
  EXPECT_EQ(placed->layers[0].path, "C:\\layers\\app");
  EXPECT_EQ(placed->layers[0].guid, "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
  EXPECT_EQ(placed->layers[1].path, "C:\\layers\\base");
  EXPECT_EQ(placed->scratch_path, kVolume);
  ASSERT_TRUE(placed->network_namespace);
  EXPECT_EQ(placed->network_namespace->size(), 36u);

  // The scratch is the container's own, mounted over the chain, top-most first.
  const json vm = vmcompute_.calls();
  ASSERT_EQ(functions(vm), (Names{"CreateSandboxLayer", "ActivateLayer", "PrepareLayer", "GetLayerMountPath", "GetLayerMountPath"}));
  EXPECT_EQ(vm[0]["args"]["id"], placement_->scratch_folder("c1").string());
  EXPECT_EQ(vm[2]["args"]["layers"][0]["path"], "C:\\layers\\app");
  EXPECT_EQ(vm[2]["args"]["layers"][1]["id"], "22222222-2222-2222-2222-222222222222");

  // The sandbox's namespace and who is in it, on disk.
  const json record = read_json(network_file("pod"));
  EXPECT_EQ(record["namespaceId"], *placed->network_namespace);
  EXPECT_EQ(record["containers"], json::array({"c1"}));
  EXPECT_EQ(count(hcn_calls(), "HcnCreateNamespace"), 1u);
}

TEST_F(ProcessPlacementTest, ContainersOfOneSandboxShareItsNamespaceAndTheLastOneDeletesIt) {
  auto first = placement_->prepare(request("c1", "pod"));
  auto second = placement_->prepare(request("c2", "pod"));
  auto other = placement_->prepare(request("c3", "other"));
  ASSERT_TRUE(first && second && other);
  EXPECT_EQ(*first->network_namespace, *second->network_namespace);
  EXPECT_NE(*first->network_namespace, *other->network_namespace);
  EXPECT_EQ(count(hcn_calls(), "HcnCreateNamespace"), 2u);
  EXPECT_EQ(read_json(network_file("pod"))["containers"], json::array({"c1", "c2"}));

  // A new placement object (silod restarted) still knows who is in the sandbox.
  placement_ = make_placement();
  ASSERT_TRUE(placement_->release("c1", "pod"));
  EXPECT_EQ(read_json(network_file("pod"))["containers"], json::array({"c2"}));
  EXPECT_EQ(count(hcn_calls(), "HcnDeleteNamespace"), 0u);
  EXPECT_FALSE(fs::exists(placement_->scratch_folder("c1")));
  EXPECT_TRUE(fs::exists(placement_->scratch_folder("c2")));

  ASSERT_TRUE(placement_->release("c2", "pod"));
  EXPECT_FALSE(fs::exists(network_file("pod")));
  const Names hcn = hcn_calls();
  EXPECT_EQ(count(hcn, "HcnDeleteNamespace"), 1u);
  EXPECT_EQ(count(hcn, "HcnDeleteEndpoint"), 1u);
  EXPECT_TRUE(fs::exists(network_file("other")));

  // Unmounted before destroyed; a second release has nothing left to do.
  const Names vm = functions(vmcompute_.calls());
  EXPECT_EQ(count(vm, "UnprepareLayer"), 2u);
  EXPECT_EQ(count(vm, "DeactivateLayer"), 2u);
  EXPECT_EQ(count(vm, "DestroyLayer"), 2u);
  EXPECT_TRUE(placement_->release("c2", "pod"));
  EXPECT_EQ(functions(vmcompute_.calls()).size(), vm.size());
}

TEST_F(ProcessPlacementTest, AContainerWithoutALayerIsRefusedBeforeAnythingIsMade) {
  auto placed = placement_->prepare(request("c1", "pod", std::nullopt));
  ASSERT_FALSE(placed);
  EXPECT_EQ(placed.error().code, Errc::invalid_argument);
  EXPECT_EQ(placed.error().message.rfind("layer: a process-isolated container needs a root file system", 0), 0u)
      << placed.error().message;
  auto unknown = placement_->prepare(request("c1", "pod", "nope"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::not_found);
  EXPECT_TRUE(vmcompute_.calls().empty());
  EXPECT_TRUE(hcn_calls().empty());
  EXPECT_EQ(networking_loads_, 0);
}

TEST_F(ProcessPlacementTest, AFailedMountLeavesNoScratchAndJoinsNoNetwork) {
  vmcompute_.script("PrepareLayer", kAccessDenied);
  auto placed = placement_->prepare(request("c1", "pod"));
  ASSERT_FALSE(placed);
  EXPECT_NE(placed.error().message.find("PrepareLayer"), std::string::npos) << placed.error().message;
  EXPECT_FALSE(fs::exists(placement_->scratch_folder("c1")));
  EXPECT_EQ(count(functions(vmcompute_.calls()), "DestroyLayer"), 1u);
  EXPECT_TRUE(hcn_calls().empty());
  EXPECT_FALSE(fs::exists(network_file("pod")));
}

TEST_F(ProcessPlacementTest, AFailedNamespaceUnmountsAndDestroysTheScratch) {
  hcn_.script("HcnCreateNamespace", kAccessDenied, R"({"Success":false,"Error":"Access is denied.","ErrorCode":2147942405})",
              nullptr);
  auto placed = placement_->prepare(request("c1", "pod"));
  ASSERT_FALSE(placed);
  EXPECT_NE(placed.error().message.find("Access is denied"), std::string::npos) << placed.error().message;
  const Names vm = functions(vmcompute_.calls());
  EXPECT_EQ(count(vm, "UnprepareLayer"), 1u);
  EXPECT_EQ(count(vm, "DeactivateLayer"), 1u);
  EXPECT_EQ(count(vm, "DestroyLayer"), 1u);
  EXPECT_FALSE(fs::exists(placement_->scratch_folder("c1")));
  EXPECT_FALSE(fs::exists(network_file("pod")));
}

TEST_F(ProcessPlacementTest, ADamagedMembershipRecordIsReportedByName) {
  fs::create_directories(network_file("pod").parent_path());
  std::ofstream(network_file("pod")) << "{not json";
  auto placed = placement_->prepare(request("c1", "pod"));
  ASSERT_FALSE(placed);
  EXPECT_NE(placed.error().message.find(network_file("pod").string()), std::string::npos) << placed.error().message;
  EXPECT_FALSE(fs::exists(placement_->scratch_folder("c1")));  // the mount was undone
}

}  // namespace
}  // namespace silo::engine::hcs_backend
