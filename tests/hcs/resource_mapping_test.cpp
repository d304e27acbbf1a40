#include "core/engine/hcs/documents/resource_mapping.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

ContainerProcessor map(CpuRequest request, std::uint32_t cpus, std::vector<std::string>& warnings) {
  auto result = map_container_processor(request, cpus, warnings);
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return result ? *result : ContainerProcessor{};
}

TEST(ResourceMapping, CpuPercentBecomesMaximumInTenThousandthsOfTheHost) {
  std::vector<std::string> warnings;
  EXPECT_EQ(map({.percent = 50}, 8, warnings).maximum, 5000);
  EXPECT_EQ(map({.percent = 1}, 8, warnings).maximum, 100);
  EXPECT_EQ(map({.percent = 100}, 8, warnings).maximum, 10000);
  EXPECT_TRUE(warnings.empty());
}

TEST(ResourceMapping, CpuPercentAbove100IsRefused) {
  std::vector<std::string> warnings;
  auto result = map_container_processor({.percent = 101}, 8, warnings);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
  EXPECT_NE(result.error().message.find("10100"), std::string::npos);
}

TEST(ResourceMapping, CountWinsOverWeightAndPercentWithAWarningForEach) {
  std::vector<std::string> warnings;
  ContainerProcessor out = map({.count = 2, .percent = 30, .weight = 500}, 8, warnings);
  EXPECT_EQ(out.count, 2);
  EXPECT_FALSE(out.maximum);
  EXPECT_FALSE(out.weight);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "CPU count takes priority over CPU weight; CPU weight discarded");
  EXPECT_EQ(warnings[1], "CPU count takes priority over CPU percent; CPU percent discarded");
}

TEST(ResourceMapping, WeightWinsOverPercent) {
  std::vector<std::string> warnings;
  ContainerProcessor out = map({.percent = 30, .weight = 500}, 8, warnings);
  EXPECT_EQ(out.weight, 500);
  EXPECT_FALSE(out.maximum);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "CPU weight takes priority over CPU percent; CPU percent discarded");
}

TEST(ResourceMapping, PercentWinsOverFractionalCpus) {
  std::vector<std::string> warnings;
  ContainerProcessor out = map({.percent = 30, .nano_cpus = 1'500'000'000}, 8, warnings);
  EXPECT_EQ(out.maximum, 3000);
  ASSERT_EQ(warnings.size(), 1u);
}

TEST(ResourceMapping, CountAboveTheAvailableCpusIsLoweredWithAWarning) {
  std::vector<std::string> warnings;
  EXPECT_EQ(map({.count = 16}, 4, warnings).count, 4);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "CPU count 16 lowered to the 4 processors available");
}

TEST(ResourceMapping, FractionalCpusOnTheHostBecomeMaximum) {
  std::vector<std::string> warnings;
  // dockerd: NanoCPUs / NumCPU / (1e9 / 10000): 1.5 CPUs of 8 = 1875.
  EXPECT_EQ(map({.nano_cpus = 1'500'000'000}, 8, warnings).maximum, 1875);
  // Too small to be represented: at least 1.
  EXPECT_EQ(map({.nano_cpus = 1000}, 64, warnings).maximum, 1);
  EXPECT_TRUE(warnings.empty());
}

TEST(ResourceMapping, FractionalCpusOnHyperVRoundTheCountUpAndLimitEachVcpu) {
  std::vector<std::string> warnings;
  auto out = map_vm_processor_for_cpus(1'500'000'000, 8, warnings);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->count, 2u);
  EXPECT_EQ(out->limit, 75'000u);  // 2 vCPUs at 75% = 1.5 CPUs
  auto whole = map_vm_processor_for_cpus(3'000'000'000, 8, warnings);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->count, 3u);
  EXPECT_FALSE(whole->limit);
  EXPECT_TRUE(warnings.empty());
}

TEST(ResourceMapping, FractionalCpusOnHyperVAreClampedToTheHost) {
  std::vector<std::string> warnings;
  auto out = map_vm_processor_for_cpus(6'500'000'000, 4, warnings);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->count, 4u);
  EXPECT_FALSE(out->limit);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(ResourceMapping, MemoryBytesRoundUpToWholeMegabytes) {
  EXPECT_EQ(memory_bytes_to_mb(1).value(), 1u);
  EXPECT_EQ(memory_bytes_to_mb(1024 * 1024).value(), 1u);
  EXPECT_EQ(memory_bytes_to_mb(1024 * 1024 + 1).value(), 2u);
  EXPECT_EQ(memory_bytes_to_mb(512LL * 1024 * 1024).value(), 512u);
  EXPECT_FALSE(memory_bytes_to_mb(0));
}

TEST(ResourceMapping, UtilityVmMemoryIsAlignedUpToEvenMegabytes) {
  std::vector<std::string> warnings;
  EXPECT_EQ(align_vm_memory_mb(1024, warnings), 1024u);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(align_vm_memory_mb(1023, warnings), 1024u);
  EXPECT_EQ(warnings.size(), 1u);
}

}  // namespace
}  // namespace silo::hcs
