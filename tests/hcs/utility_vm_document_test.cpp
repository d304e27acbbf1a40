#include "core/engine/hcs/documents/utility_vm_document.h"

#include "core/engine/hcs/documents/modify_requests.h"

#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

using namespace silo::hcs::testing;

UtilityVmInputs sample_inputs() {
  UtilityVmInputs inputs;
  inputs.target.build = kBuildWs2025;
  inputs.base_layer_path = "C:\\ProgramData\\silo\\layers\\0b1a\\folder";
  inputs.scratch_vhdx_path = "C:\\ProgramData\\silo\\sandboxes\\3f2e1d0c\\vm\\sandbox.vhdx";
  inputs.host_cpus = 8;
  return inputs;
}

TEST(UtilityVm, DefaultsMatchGolden) {
  auto doc = utility_vm(sample_inputs());
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_TRUE(doc->warnings.empty());
  expect_golden("utility_vm", to_text(doc->json));
}

TEST(UtilityVm, FractionalCpusAndOddMemoryMatchGolden) {
  UtilityVmInputs inputs = sample_inputs();
  inputs.nano_cpus = 1'500'000'000;
  inputs.memory_mb = 2047;
  inputs.allow_overcommit = false;
  auto doc = utility_vm(inputs);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->warnings.size(), 1u);  // memory aligned
  expect_golden("utility_vm_fractional_cpus", to_text(doc->json));
}

TEST(UtilityVm, OneCpuHostGetsOneVcpuByDefault) {
  UtilityVmInputs inputs = sample_inputs();
  inputs.host_cpus = 1;
  auto doc = utility_vm(inputs);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->json["VirtualMachine"]["ComputeTopology"]["Processor"]["Count"], 1);
}

TEST(UtilityVm, BootsFromTheBaseLayersUtilityVmFiles) {
  EXPECT_EQ(utility_vm_files_path("C:\\l\\base"), "C:\\l\\base\\UtilityVM\\Files");
  EXPECT_EQ(utility_vm_files_path("C:\\l\\base\\"), "C:\\l\\base\\UtilityVM\\Files");
}

}  // namespace
}  // namespace silo::hcs


namespace silo::hcs {
namespace {

TEST(VsmbShares, LayerShareIsReadOnlyAndCached) {
  expect_golden("vsmb_share_add_layer",
                to_text(add_vsmb_share_request("l0", "C:\\ProgramData\\silo\\layers\\9f2c\\folder", true)));
}

TEST(VsmbShares, WritableMountShareHasNoReadOnlyOptions) {
  auto request = add_vsmb_share_request("m0", "D:\\logs", false);
  EXPECT_TRUE(request["Settings"]["Options"].empty());
  EXPECT_EQ(remove_vsmb_share_request("m0", "D:\\logs")["RequestType"], "Remove");
}

}  // namespace
}  // namespace silo::hcs

namespace silo::hcs {
namespace {

using namespace silo::hcs::testing;

constexpr std::string_view kContainerScratchVhdx =
    "C:\\ProgramData\\silo\\sandboxes\\3f2e1d0c\\containers\\7a1b\\sandbox.vhdx";

TEST(ScsiDisks, AttachAddsAReadWriteVirtualDiskOnController0) {
  expect_golden("scsi_attach_container_scratch", to_text(scsi_attach_request(3, kContainerScratchVhdx)));
}

TEST(ScsiDisks, DetachRemovesTheAttachmentWithoutSettings) {
  expect_golden("scsi_detach_container_scratch", to_text(scsi_detach_request(3)));
}

TEST(ScsiDisks, GuestMountMatchesGolden) {
  expect_golden("wcow_scsi_mount", to_text(wcow_scsi_mount_request(3, wcow_scsi_mount_path(3))));
}

TEST(ScsiDisks, GuestUnmountMatchesGolden) {
  expect_golden("wcow_scsi_unmount", to_text(wcow_scsi_unmount_request(3, wcow_scsi_mount_path(3))));
}

TEST(ScsiDisks, GuestMountLeavesLunZeroOutAsHcsshimsOmitemptyDoes) {
  auto settings = wcow_scsi_mount_request(0, "c:\\x")["GuestRequest"]["Settings"];
  EXPECT_FALSE(settings.contains("Lun"));
  EXPECT_EQ(settings["ContainerPath"], "c:\\x");
}

TEST(ScsiDisks, MountPathIsNamedByLun) {
  EXPECT_EQ(wcow_scsi_mount_path(1), "c:\\mounts\\scsi\\m1");
  EXPECT_EQ(wcow_scsi_mount_path(3), "c:\\mounts\\scsi\\m3");
  EXPECT_EQ(wcow_scsi_mount_path(63), "c:\\mounts\\scsi\\m63");
}

TEST(ScsiDisks, ContainerLunsAreOneToSixtyThree) {
  EXPECT_TRUE(check_container_lun(1));
  EXPECT_TRUE(check_container_lun(63));
  for (unsigned bad : {0u, 64u}) {
    auto checked = check_container_lun(bad);
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().code, Errc::invalid_argument);
    EXPECT_NE(checked.error().message.find("lun " + std::to_string(bad)), std::string::npos)
        << checked.error().message;
    EXPECT_NE(checked.error().message.find("1..63"), std::string::npos) << checked.error().message;
  }
}

TEST(CombinedLayers, CombineTwoLayersMatchesGolden) {
  std::vector<LayerFolder> layers = {
      {"7c2e8a51-3f4b-5d9e-a1c0-62b8f4d3e910", vsmb_guest_path("l1")},
      {"0b1a9c3d-2e4f-5a6b-8c7d-9e0f1a2b3c4d", vsmb_guest_path("l0")},
  };
  expect_golden("combine_layers_two_layers", to_text(combine_layers_guest_request(wcow_scsi_mount_path(3), layers)));
}

TEST(CombinedLayers, UncombineNamesOnlyTheRootPath) {
  expect_golden("uncombine_layers", to_text(uncombine_layers_guest_request(wcow_scsi_mount_path(3))));
}

const nlohmann::ordered_json kGuestNamespace = {{"ID", "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"}, {"Type", "Host"}};
const nlohmann::ordered_json kGuestEndpoint = {{"ID", "0f1e2d3c-4b5a-4697-8877-665544332211"},
                                               {"MacAddress", "00-15-5D-52-C0-0A"}};

TEST(VmNetwork, GuestNamespaceRequestCarriesTheNamespaceAsSettings) {
  expect_golden("guest_network_namespace_add", to_text(guest_network_namespace_request(kGuestNamespace)));
}

TEST(VmNetwork, PreAddIsAGuestOnlyRequestCarryingTheEndpoint) {
  expect_golden("network_adapter_preadd",
                to_text(network_adapter_preadd_request("0f1e2d3c-4b5a-4697-8877-665544332211", kGuestEndpoint)));
}

TEST(VmNetwork, AddHotAddsTheAdapterAndTellsTheGuestWithoutSettings) {
  expect_golden("network_adapter_add", to_text(network_adapter_add_request("0f1e2d3c-4b5a-4697-8877-665544332211",
                                                                           "0f1e2d3c-4b5a-4697-8877-665544332211",
                                                                           "00-15-5D-52-C0-0A")));
}

}  // namespace
}  // namespace silo::hcs
