#include "core/engine/hcs/documents/results.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

TEST(HcsResults, ErrorCarriesHcsTextEventsAndTheHresult) {
  const char* doc = R"({"Error":-2143878898,"ErrorMessage":"The system cannot find the compute system.",
    "ErrorEvents":[{"Message":"first detail","Provider":"x"},{"Message":"second detail"}]})";
  Error error = hcs_error("HcsOpenComputeSystem web", hresult::kSystemNotFound, doc, "system text");
  EXPECT_EQ(error.code, Errc::not_found);
  EXPECT_EQ(error.message,
            "HcsOpenComputeSystem web: The system cannot find the compute system. [first detail; second detail] "
            "(HRESULT 0x8037010E)");
}

TEST(HcsResults, ErrorFallsBackToTheSystemTextWhenTheDocumentHasNone) {
  Error error = hcs_error("HcsStartComputeSystem web", hresult::kAccessDenied, "not json", "Access is denied");
  EXPECT_EQ(error.code, Errc::permission_denied);
  EXPECT_EQ(error.message, "HcsStartComputeSystem web: Access is denied (HRESULT 0x8037011B)");
}

TEST(HcsResults, HresultsMapToErrc) {
  EXPECT_EQ(errc_for_hresult(hresult::kSystemAlreadyExists), Errc::already_exists);
  EXPECT_EQ(errc_for_hresult(hresult::kOperationTimeout), Errc::unavailable);
  EXPECT_EQ(errc_for_hresult(hresult::kInvalidJson), Errc::invalid_argument);
  EXPECT_EQ(errc_for_hresult(hresult::kVmcomputeNotFound), Errc::not_found);
  EXPECT_EQ(errc_for_hresult(static_cast<std::int32_t>(0x80004005)), Errc::internal);
  EXPECT_TRUE(is_already_stopped(hresult::kSystemAlreadyStopped));
  EXPECT_TRUE(is_already_stopped(hresult::kVmcomputeAlreadyStopped));
  EXPECT_FALSE(is_already_stopped(hresult::kAccessDenied));
}

TEST(HcsResults, SystemExitStatus) {
  SystemExit exit = parse_system_exit(R"({"Status":-2143878906,"ExitType":"UnexpectedExit"})");
  EXPECT_TRUE(exit.unexpected());
  EXPECT_EQ(exit.status, static_cast<std::int32_t>(0x80370106));
  EXPECT_EQ(parse_system_exit("").exit_type, "Unknown");
}

TEST(HcsResults, ProcessExitCodeOnlyWhenTheWaitSucceeded) {
  ProcessExit exited = parse_process_exit(R"({"ProcessId":42,"Exited":true,"ExitCode":3,"LastWaitResult":0})");
  EXPECT_EQ(exited.process_id, 42u);
  EXPECT_EQ(exited.exit_code, 3u);
  ProcessExit failed = parse_process_exit(R"({"ProcessId":42,"Exited":true,"ExitCode":3,"LastWaitResult":5})");
  EXPECT_FALSE(failed.exit_code);
  EXPECT_FALSE(parse_process_exit(R"({"Exited":"yes"})").exited);
}

TEST(HcsResults, StatisticsBecomeContainerStats) {
  const char* doc = R"({"Statistics":{"Timestamp":"2026-11-22T08:00:00Z","Uptime100ns":50000000,
    "Processor":{"TotalRuntime100ns":12345,"RuntimeUser100ns":10000,"RuntimeKernel100ns":2345},
    "Memory":{"MemoryUsageCommitBytes":900,"MemoryUsageCommitPeakBytes":1000,"MemoryUsagePrivateWorkingSetBytes":700}},
    "ProcessList":[{"ProcessId":4},{"ProcessId":8},{"ProcessId":12}]})";
  auto stats = container_stats_from_properties(doc, 77);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->read_at, 77);
  EXPECT_EQ(stats->cpu_usage_ns, 1'234'500u);
  EXPECT_EQ(stats->memory_usage_bytes, 700u);
  EXPECT_EQ(stats->pids_current, 3u);
  EXPECT_FALSE(container_stats_from_properties(R"({"ProcessList":[]})", 0));
}

}  // namespace
}  // namespace silo::hcs
