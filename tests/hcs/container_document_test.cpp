#include "core/engine/hcs/documents/container_document.h"

#include "tests/hcs/fixtures.h"
#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

using namespace silo::hcs::testing;

Document argon(const ContainerSpec& spec, const ContainerInputs& inputs) {
  auto doc = process_isolated_container(spec, config_for(Isolation::process), inputs);
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().message);
  return doc ? *doc : Document{};
}

TEST(ProcessIsolatedContainer, MatchesGolden) {
  ContainerSpec spec = sample_spec();
  spec.resources.cpu_percent = 50;
  spec.resources.memory_bytes = 512LL * 1024 * 1024 + 1;  // rounds up to 513 MB
  spec.mounts = {{"C:\\data", "C:\\app\\data", true}, {"D:\\logs", "C:\\logs", false},
                 {"\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false}};
  ContainerInputs inputs = argon_inputs();
  inputs.network_namespace = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
  Document doc = argon(spec, inputs);
  EXPECT_TRUE(doc.warnings.empty());
  expect_golden("process_container", to_text(doc.json));
}

TEST(ProcessIsolatedContainer, MinimalHasNoOptionalSections) {
  expect_golden("process_container_minimal", to_text(argon(sample_spec(), argon_inputs()).json));
}

TEST(ProcessIsolatedContainer, CpuCountAboveTheHostIsLoweredAndReported) {
  ContainerSpec spec = sample_spec();
  spec.resources.cpu_count = 64;
  Document doc = argon(spec, argon_inputs());
  ASSERT_EQ(doc.warnings.size(), 1u);
  expect_golden("process_container_cpu_count", to_text(doc.json));
}

TEST(ProcessIsolatedContainer, CpuWeightIsPassedThrough) {
  ContainerSpec spec = sample_spec();
  spec.resources.cpu_weight = 250;
  expect_golden("process_container_cpu_weight", to_text(argon(spec, argon_inputs()).json));
}

TEST(ProcessIsolatedContainer, OnlyTheWinningCpuControlIsEmitted) {
  ContainerSpec spec = sample_spec();
  spec.resources.cpu_weight = 250;
  spec.resources.cpu_percent = 20;  // the API refuses this pair; the builder still emits one control
  Document doc = argon(spec, argon_inputs());
  const auto& processor = doc.json["Container"]["Processor"];
  EXPECT_EQ(processor.size(), 1u);
  EXPECT_EQ(processor["Weight"], 250);
  EXPECT_EQ(doc.warnings.size(), 1u);
}

TEST(ProcessIsolatedContainer, ScratchMustBeAVolumePath) {
  ContainerInputs inputs = argon_inputs();
  inputs.scratch_path = "C:\\scratch";
  auto doc = process_isolated_container(sample_spec(), config_for(Isolation::process), inputs);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, Errc::invalid_argument);
}

TEST(ProcessIsolatedContainer, ScratchGetsItsTrailingBackslash) {
  ContainerInputs inputs = argon_inputs();
  inputs.scratch_path.pop_back();
  Document doc = argon(sample_spec(), inputs);
  EXPECT_EQ(doc.json["Container"]["Storage"]["Path"], argon_inputs().scratch_path);
}

TEST(ProcessIsolatedContainer, LayerIdsMustBeGuids) {
  ContainerInputs inputs = argon_inputs();
  inputs.layers[1].guid = "not-a-guid";
  auto doc = process_isolated_container(sample_spec(), config_for(Isolation::process), inputs);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("not-a-guid"), std::string::npos);
}

TEST(ProcessIsolatedContainer, OlderThanWs2019IsRefused) {
  ContainerInputs inputs = argon_inputs();
  inputs.target.build = 17134;
  auto doc = process_isolated_container(sample_spec(), config_for(Isolation::process), inputs);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, Errc::failed_precondition);
}

TEST(ContainerInVm, MatchesGolden) {
  ContainerSpec spec = sample_spec();
  spec.resources.cpu_count = 4;  // the VM has 2 vCPUs
  spec.resources.memory_bytes = 256LL * 1024 * 1024;
  spec.mounts = {{"C:\\data", "C:\\app\\data", true}};
  ContainerInputs inputs = vm_inputs();
  inputs.mount_guest_paths = {vsmb_guest_path("m0")};
  inputs.target.build = kBuildWs2022;
  auto doc = container_in_vm(spec, config_for(Isolation::hyperv), inputs, kUvmId);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->warnings.size(), 1u);
  expect_golden("container_in_vm", to_text(doc->json));
}

TEST(ContainerInVm, NamedPipeMountsAreRefused) {
  ContainerSpec spec = sample_spec();
  spec.mounts = {{"\\\\.\\pipe\\p", "\\\\.\\pipe\\p", false}};
  ContainerInputs inputs = vm_inputs();
  inputs.mount_guest_paths = {"x"};
  auto doc = container_in_vm(spec, config_for(Isolation::hyperv), inputs, kUvmId);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, Errc::failed_precondition);
}

EffectiveContainerConfig hostprocess_config(bool custom_root) {
  EffectiveContainerConfig config = config_for(Isolation::hyperv, true);
  config.inherit_user = true;
  config.user = std::string(hostprocess::kSystemUser);
  config.rootfs_location = "C:\\hpc";
  if (custom_root) {
    config.annotations[std::string(hostprocess::kRootfsLocationAnnotation)] = "C:\\agents";
    config.rootfs_location = "C:\\agents";
  }
  return config;
}

TEST(HostProcessInVm, MatchesGolden) {
  ContainerSpec spec = sample_spec();
  spec.resources.memory_bytes = 128LL * 1024 * 1024;
  auto doc = container_in_vm(spec, hostprocess_config(true), vm_inputs(), kUvmId);
  ASSERT_TRUE(doc) << doc.error().message;
  expect_golden("hostprocess_in_vm", to_text(doc->json));
}

TEST(HostProcessInVm, DefaultRootLeavesThePathToTheGuest) {
  auto doc = container_in_vm(sample_spec(), hostprocess_config(false), vm_inputs(), kUvmId);
  ASSERT_TRUE(doc) << doc.error().message;
  const auto& container = doc->json["HostedSystem"]["Container"];
  EXPECT_FALSE(container["Storage"].contains("PrivilegedContainerRootPath"));
  EXPECT_EQ(container["IsolationType"], "HostProcess");
  expect_golden("hostprocess_in_vm_default_root", to_text(doc->json));
}

TEST(HostProcessInVm, OlderGuestThanWs2025IsRefusedWithBothBuilds) {
  ContainerInputs inputs = vm_inputs();
  inputs.target.build = kBuildWs2022;
  auto doc = container_in_vm(sample_spec(), hostprocess_config(true), inputs, kUvmId);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, Errc::failed_precondition);
  EXPECT_NE(doc.error().message.find("26100"), std::string::npos);
  EXPECT_NE(doc.error().message.find("20348"), std::string::npos);
}

TEST(HostProcessInVm, HasNoNetwork) {
  ContainerInputs inputs = vm_inputs();
  inputs.network_namespace = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
  auto doc = container_in_vm(sample_spec(), hostprocess_config(false), inputs, kUvmId);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, Errc::invalid_argument);
}

TEST(HostProcessInVm, NormalContainerInTheSameVmHasNoHostProcessFields) {
  auto doc = container_in_vm(sample_spec(), config_for(Isolation::hyperv), vm_inputs(), kUvmId);
  ASSERT_TRUE(doc);
  const auto& container = doc->json["HostedSystem"]["Container"];
  EXPECT_FALSE(container.contains("IsolationType"));
  EXPECT_FALSE(container["Storage"].contains("PrivilegedContainerRootPath"));
}

}  // namespace
}  // namespace silo::hcs
