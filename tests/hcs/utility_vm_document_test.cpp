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
