// Hyper-V isolation's placement (core/engine/hcs/placement/hyperv_placement.h) under Wine, against
// the TEST-ONLY vmcompute.dll and computenetwork.dll doubles: the utility VM's scratch copied once
// per sandbox from the base layer's processed image, a scratch disk per container created but never
// mounted on the host, every disk granted to the VM by its compute system id, the folders as the
// record across a new placement object, the sandbox's namespace and endpoint read back for the
// VM's guest, and what every failure leaves behind. Nothing here talks to a real HCS.
#include "core/engine/hcs/placement/hyperv_placement.h"

#include "core/engine/hcs/backend/hcs_handle.h"
#include "tests/windows/computenetwork_double/computenetwork_double_handle.h"
#include "tests/windows/vmcompute_double/vmcompute_double_handle.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace silo::engine::hcs_backend {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr long kAccessDenied = static_cast<long>(0x80070005);

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class HypervPlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(vmcompute_.load(SILO_VMCOMPUTE_DOUBLE_PATH), "");
    ASSERT_EQ(hcn_.load(SILO_HCN_DOUBLE_PATH), "");
    root_ = fs::temp_directory_path() / ("silo-hyperv-placement-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "layers" / "app");
    fs::create_directories(root_ / "layers" / "base" / "UtilityVM");
    fs::create_directories(root_ / "layers" / "plain");
    std::ofstream(root_ / "layers" / "base" / "UtilityVM" / "SystemTemplate.vhdx", std::ios::binary) << "utility VM image";
    placement_ = make_placement();
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<HypervPlacement> make_placement() {
    HypervPlacementOptions options;
    options.root = root_ / "hcs";
    options.layer_folders = [this](const std::string& id) -> Result<std::vector<fs::path>> {
      if (id == "app") return std::vector<fs::path>{root_ / "layers" / "app", root_ / "layers" / "base"};
      if (id == "plain") return std::vector<fs::path>{root_ / "layers" / "plain"};
      return make_error(Errc::not_found, "layer " + id + " not found");
    };
    options.layer_guid = [](std::string_view name) -> Result<std::string> {
      return std::string(name == "app" ? "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" : "22222222-2222-2222-2222-222222222222");
    };
    auto mounts = std::make_shared<const hcs::storage::ScratchMounts>(vmcompute_.api());
    options.scratch = [mounts]() -> Result<std::shared_ptr<const hcs::storage::ScratchMounts>> { return mounts; };
    auto api = hcn_.api();
    options.networks = std::make_shared<SandboxMemberships>(
        root_ / "hcs", [api]() -> Result<std::shared_ptr<hcn::SandboxNetworking>> {
          return std::make_shared<hcn::SandboxNetworking>(api);
        });
    return std::make_unique<HypervPlacement>(std::move(options));
  }

  LaunchRequest request(const std::string& id, const std::string& sandbox, std::optional<std::string> layer = "app") const {
    LaunchRequest r;
    r.container_id = id;
    r.sandbox_id = sandbox;
    r.spec.layer = std::move(layer);
    r.config.isolation = Isolation::hyperv;
    return r;
  }

  // Each call as "Function path" (GrantVmAccess: "GrantVmAccess vm path").
  std::vector<std::string> calls() const {
    std::vector<std::string> out;
    for (const auto& call : vmcompute_.calls()) {
      const std::string function = call["function"];
      const json& args = call["args"];
      if (function == "GrantVmAccess") {
        out.push_back(function + " " + args["vm_id"].get<std::string>() + " " + fs::path(args["path"].get<std::string>()).string());
      } else {
        out.push_back(function + " " + fs::path(args["id"].get<std::string>()).string());
      }
    }
    return out;
  }

  std::size_t hcn_count(const std::string& function) const {
    std::size_t n = 0;
    for (const auto& call : hcn_.calls()) n += call["function"] == function ? 1 : 0;
    return n;
  }

  hcs::storage::testing::VmcomputeDoubleHandle vmcompute_;
  hcn::testing::ComputeNetworkDoubleHandle hcn_;
  fs::path root_;
  std::unique_ptr<HypervPlacement> placement_;
};

TEST_F(HypervPlacementTest, TheFirstContainerCopiesTheVmImageAndEachContainerGetsItsOwnDiskGrantedToTheVm) {
  auto first = placement_->prepare(request("c1", "pod"));
  ASSERT_TRUE(first) << first.error().message;
  auto second = placement_->prepare(request("c2", "pod"));
  ASSERT_TRUE(second) << second.error().message;

  const std::string vm = utility_vm_id_for("pod");
  const fs::path vm_disk = placement_->sandbox_folder("pod") / "sandbox.vhdx";
  const fs::path c1 = placement_->container_folder("pod", "c1");
  const fs::path c2 = placement_->container_folder("pod", "c2");
  EXPECT_EQ(calls(), (std::vector<std::string>{
                         "GrantVmAccess " + vm + " " + vm_disk.string(),
                         "CreateSandboxLayer " + c1.string(),
                         "GrantVmAccess " + vm + " " + (c1 / "sandbox.vhdx").string(),
                         "CreateSandboxLayer " + c2.string(),
                         "GrantVmAccess " + vm + " " + (c2 / "sandbox.vhdx").string(),
                     }))
      << "one VM disk per sandbox; nothing attached or mounted on the host";
  EXPECT_EQ(read_file(vm_disk), "utility VM image");
  EXPECT_EQ(fs::path(first->utility_vm_scratch_vhdx), vm_disk);
  EXPECT_EQ(fs::path(second->utility_vm_scratch_vhdx), vm_disk);
  EXPECT_EQ(fs::path(first->container_scratch_vhdx), c1 / "sandbox.vhdx");
  EXPECT_EQ(fs::path(second->container_scratch_vhdx), c2 / "sandbox.vhdx");
  ASSERT_EQ(first->layers.size(), 2u);
  EXPECT_EQ(first->layers[0].guid, "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
  EXPECT_EQ(fs::path(first->layers[1].path), root_ / "layers" / "base");
  // The scratch is made over the whole chain, top-most layer first.
  const json log = vmcompute_.calls();
  ASSERT_EQ(log[1]["args"]["layers"].size(), 2u) << log.dump();
  EXPECT_EQ(fs::path(log[1]["args"]["layers"][0]["path"].get<std::string>()), root_ / "layers" / "app");
}

TEST_F(HypervPlacementTest, ReleasingDestroysTheContainersDiskAndTheLastContainerTakesTheVmDiskAlsoAfterARestart) {
  ASSERT_TRUE(placement_->prepare(request("c1", "pod")));
  ASSERT_TRUE(placement_->prepare(request("c2", "pod")));
  ASSERT_TRUE(placement_->release("c1", "pod"));
  EXPECT_FALSE(fs::exists(placement_->container_folder("pod", "c1")));
  EXPECT_TRUE(fs::exists(placement_->sandbox_folder("pod") / "sandbox.vhdx")) << "c2 still runs in the VM";

  placement_ = make_placement();  // a restarted silod: the folders are the record
  ASSERT_TRUE(placement_->release("c2", "pod"));
  EXPECT_FALSE(fs::exists(placement_->sandbox_folder("pod")));
  const auto log = calls();
  EXPECT_EQ(log[log.size() - 2], "DestroyLayer " + placement_->container_folder("pod", "c1").string());
  EXPECT_EQ(log.back(), "DestroyLayer " + placement_->container_folder("pod", "c2").string());
  const std::size_t before = log.size();
  ASSERT_TRUE(placement_->release("c2", "pod")) << "a second release finds nothing to do";
  EXPECT_EQ(calls().size(), before);
}

TEST_F(HypervPlacementTest, ABaseLayerWithoutAUtilityVmImageIsRefusedBeforeAnyDiskIsMade) {
  auto refused = placement_->prepare(request("c1", "pod", "plain"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("UtilityVM\\SystemTemplate.vhdx"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(calls().empty());
  EXPECT_FALSE(fs::exists(placement_->sandbox_folder("pod")));

  auto no_layer = placement_->prepare(request("c1", "pod", std::nullopt));
  ASSERT_FALSE(no_layer);
  EXPECT_EQ(no_layer.error().code, Errc::invalid_argument);
  EXPECT_EQ(no_layer.error().message.rfind("layer: a hyperv container needs a root file system", 0), 0u) << no_layer.error().message;
}

TEST_F(HypervPlacementTest, AFailedDiskLeavesNothingOfItsOwnAndKeepsWhatOtherContainersUse) {
  ASSERT_TRUE(placement_->prepare(request("c1", "pod")));
  vmcompute_.script("CreateSandboxLayer", kAccessDenied);
  auto refused = placement_->prepare(request("c2", "pod"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("CreateSandboxLayer"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(fs::exists(placement_->container_folder("pod", "c2")));
  EXPECT_TRUE(fs::exists(placement_->container_folder("pod", "c1") / "sandbox.vhdx"));
  EXPECT_TRUE(fs::exists(placement_->sandbox_folder("pod") / "sandbox.vhdx"));

  // The first container of another sandbox: a refused grant removes the new VM disk too.
  vmcompute_.script("GrantVmAccess", kAccessDenied);
  auto denied = placement_->prepare(request("c3", "other"));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, Errc::permission_denied) << denied.error().message;
  EXPECT_NE(denied.error().message.find("GrantVmAccess for " + utility_vm_id_for("other")), std::string::npos)
      << denied.error().message;
  EXPECT_FALSE(fs::exists(placement_->sandbox_folder("other")));
}

TEST_F(HypervPlacementTest, TheSandboxsContainersShareOneNetworkThatTheVmsGuestGetsAsHcsshimsStructs) {
  auto first = placement_->prepare(request("c1", "pod"));
  ASSERT_TRUE(first) << first.error().message;
  auto second = placement_->prepare(request("c2", "pod"));
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE(first->network_namespace && first->vm_network);
  EXPECT_EQ(first->network_namespace, second->network_namespace);
  EXPECT_EQ(first->vm_network->endpoint_id, second->vm_network->endpoint_id);
  EXPECT_EQ(first->vm_network->mac_address, "00-15-5D-52-C0-0A");
  EXPECT_EQ(first->vm_network->guest_namespace["ID"], *first->network_namespace);
  EXPECT_EQ(first->vm_network->guest_endpoint["ID"], first->vm_network->endpoint_id);
  EXPECT_TRUE(first->vm_network->guest_endpoint.contains("SchemaVersion")) << "as Go writes hcn.HostComputeEndpoint";
  EXPECT_EQ(hcn_count("HcnCreateNamespace"), 1u);

  ASSERT_TRUE(placement_->release("c1", "pod"));
  EXPECT_EQ(hcn_count("HcnDeleteNamespace"), 0u) << "c2 is still in the sandbox";
  ASSERT_TRUE(placement_->release("c2", "pod"));
  EXPECT_EQ(hcn_count("HcnDeleteNamespace"), 1u);
  EXPECT_EQ(hcn_count("HcnDeleteEndpoint"), 1u);
}

TEST_F(HypervPlacementTest, ANetworkTheGuestCannotBeGivenLeavesNoDiskAndNoNamespace) {
  hcn_.script("HcnOpenEndpoint", kAccessDenied, R"({"Success":false,"Error":"Access is denied.","ErrorCode":2147942405})");
  auto refused = placement_->prepare(request("c1", "pod"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::permission_denied);
  EXPECT_EQ(refused.error().message.rfind("HcnOpenEndpoint ", 0), 0u) << refused.error().message;
  EXPECT_FALSE(fs::exists(placement_->sandbox_folder("pod")));
  EXPECT_EQ(hcn_count("HcnCreateNamespace"), 1u);
  EXPECT_EQ(hcn_count("HcnDeleteNamespace"), 1u);
  EXPECT_EQ(hcn_count("HcnDeleteEndpoint"), 1u);
}

}  // namespace
}  // namespace silo::engine::hcs_backend
