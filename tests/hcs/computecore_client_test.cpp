// The computecore client against the test-only computecore.dll double (tests/windows/hcs_double),
// under Wine: the exact HCS call sequence, the documents sent, deadlines, cancellation, errors,
// stdio handles and events. Nothing here talks to a real HCS.
#include "core/engine/hcs/computecore/compute_system.h"
#include "core/engine/hcs/computecore/layer_id.h"
#include "core/engine/hcs/documents/results.h"
#include "tests/windows/hcs_double/hcs_double.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace silo::hcs::computecore {
namespace {

using nlohmann::json;
using Names = std::vector<std::string>;

constexpr long kTimeout = static_cast<long>(0x80370118);

struct Double {
  HMODULE module = nullptr;
  HcsDoubleScriptFn script = nullptr;
  HcsDoubleResetFn reset = nullptr;
  HcsDoubleCallLogFn call_log = nullptr;
  HcsDoubleFireSystemEventFn fire_system = nullptr;
  HcsDoubleFireProcessEventFn fire_process = nullptr;
};

template <typename F>
F lookup(HMODULE module, const char* name) {
  return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

class ComputeCoreClient : public ::testing::Test {
 protected:
  void SetUp() override {
    d_.module = LoadLibraryA(SILO_HCS_DOUBLE_PATH);
    ASSERT_NE(d_.module, nullptr) << "cannot load the double " << SILO_HCS_DOUBLE_PATH;
    d_.script = lookup<HcsDoubleScriptFn>(d_.module, "HcsDoubleScript");
    d_.reset = lookup<HcsDoubleResetFn>(d_.module, "HcsDoubleReset");
    d_.call_log = lookup<HcsDoubleCallLogFn>(d_.module, "HcsDoubleCallLog");
    d_.fire_system = lookup<HcsDoubleFireSystemEventFn>(d_.module, "HcsDoubleFireSystemEvent");
    d_.fire_process = lookup<HcsDoubleFireProcessEventFn>(d_.module, "HcsDoubleFireProcessEvent");
    d_.reset();
    HMODULE module = d_.module;
    auto api = resolve_compute_core([module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    });
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::make_shared<const ComputeCoreApi>(*api);
  }

  json calls() const {
    int size = d_.call_log(nullptr, 0);
    std::string text(static_cast<std::size_t>(size), '\0');
    d_.call_log(text.data(), size);
    text.resize(static_cast<std::size_t>(size - 1));
    return json::parse(text);
  }

  Names names() const {
    Names out;
    for (const json& call : calls()) out.push_back(call["call"].get<std::string>());
    return out;
  }

  json find_call(const std::string& name) const {
    for (const json& call : calls()) {
      if (call["call"] == name) return call;
    }
    ADD_FAILURE() << "no call " << name;
    return nullptr;
  }

  ComputeSystem make_system(std::vector<Event>* events = nullptr, Deadlines deadlines = {}) {
    auto system = ComputeSystem::create(
        api_, "web", R"({"Owner":"silod","SchemaVersion":{"Major":2,"Minor":1}})",
        [events](const Event& event) {
          if (events != nullptr) events->push_back(event);
        },
        deadlines);
    EXPECT_TRUE(system) << system.error().message;
    d_.reset();  // tests assert the calls after the create
    return std::move(*system);
  }

  Double d_;
  std::shared_ptr<const ComputeCoreApi> api_;
};

const Names kOneOperation(const char* call, const char* wait = "HcsWaitForOperationResult") {
  return {"HcsCreateOperation", call, wait, "HcsCloseOperation"};
}

TEST_F(ComputeCoreClient, CreateWaitsForItsOperationThenRegistersTheCallbackById) {
  {
    auto system = ComputeSystem::create(api_, "web", R"({"Owner":"silod"})", [](const Event&) {});
    ASSERT_TRUE(system) << system.error().message;
    EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateComputeSystem", "HcsWaitForOperationResult",
                              "HcsCloseOperation", "HcsSetComputeSystemCallback"}));
    json create = find_call("HcsCreateComputeSystem");
    EXPECT_EQ(create["id"], "web");
    EXPECT_EQ(create["document"], json::parse(R"({"Owner":"silod"})"));
    EXPECT_EQ(find_call("HcsWaitForOperationResult")["timeout_ms"], 240000);
    // The context HCS gets is a registry id, not an address.
    std::uint64_t context = find_call("HcsSetComputeSystemCallback")["context"];
    EXPECT_GT(context, 0u);
    EXPECT_LT(context, 1'000'000u);
  }
  EXPECT_EQ(names().back(), "HcsCloseComputeSystem");
}

TEST_F(ComputeCoreClient, StartShutdownTerminateEachRunOneOperation) {
  ComputeSystem system = make_system();
  ASSERT_TRUE(system.start());
  EXPECT_EQ(names(), kOneOperation("HcsStartComputeSystem"));
  EXPECT_TRUE(find_call("HcsStartComputeSystem")["options"].is_null());
  d_.reset();
  ASSERT_TRUE(system.shutdown());
  EXPECT_EQ(names(), kOneOperation("HcsShutDownComputeSystem"));
  d_.reset();
  ASSERT_TRUE(system.terminate());
  EXPECT_EQ(names(), kOneOperation("HcsTerminateComputeSystem"));
}

TEST_F(ComputeCoreClient, StoppingAStoppedSystemSucceeds) {
  ComputeSystem system = make_system();
  d_.script("HcsShutDownComputeSystem", 0, static_cast<long>(0x80370110), "");
  EXPECT_TRUE(system.shutdown());
  d_.script("HcsTerminateComputeSystem", static_cast<long>(0x8037010E), 0, "");
  EXPECT_TRUE(system.terminate());
}

TEST_F(ComputeCoreClient, CreateFailureCarriesHcsTextAndCleansUp) {
  d_.script("HcsCreateComputeSystem", 0, static_cast<long>(0x8037010D),
            R"({"Error":-2143878899,"ErrorMessage":"The JSON document is invalid.",)"
            R"("ErrorEvents":[{"Message":"unknown field Foo"}]})");
  auto system = ComputeSystem::create(api_, "web", "{}", [](const Event&) {});
  ASSERT_FALSE(system);
  EXPECT_EQ(system.error().code, Errc::invalid_argument);
  EXPECT_EQ(system.error().message,
            "HcsCreateComputeSystem web: The JSON document is invalid. [unknown field Foo] (HRESULT 0x8037010D)");
  // The half-made system is terminated and closed; no callback was registered.
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateComputeSystem", "HcsWaitForOperationResult",
                            "HcsCloseOperation", "HcsCreateOperation", "HcsTerminateComputeSystem",
                            "HcsWaitForOperationResult", "HcsCloseOperation", "HcsCloseComputeSystem"}));
}

TEST_F(ComputeCoreClient, RefusedCallNeverWaits) {
  ComputeSystem system = make_system();
  d_.script("HcsStartComputeSystem", static_cast<long>(0x8037011B), 0, "");
  auto started = system.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::permission_denied);
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsStartComputeSystem", "HcsCloseOperation"}));
}

TEST_F(ComputeCoreClient, DeadlinePassedCancelsTheOperation) {
  Deadlines deadlines;
  deadlines.start = std::chrono::milliseconds(1500);
  ComputeSystem system = make_system(nullptr, deadlines);
  d_.script("HcsStartComputeSystem", 0, kTimeout, "");
  auto started = system.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::unavailable);
  EXPECT_EQ(started.error().message,
            "HcsStartComputeSystem web did not finish within 1500 ms; the operation was cancelled");
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsStartComputeSystem", "HcsWaitForOperationResult",
                            "HcsCancelOperation", "HcsCloseOperation"}));
  EXPECT_EQ(find_call("HcsWaitForOperationResult")["timeout_ms"], 1500);
}

TEST_F(ComputeCoreClient, ExecHandsOverStdioAndReportsTheExit) {
  ComputeSystem system = make_system();
  std::vector<Event> events;
  const char* parameters = R"({"CommandLine":"cmd /c exit 3","CreateStdOutPipe":true,"CreateStdErrPipe":true})";
  auto process = system.create_process(parameters, [&](const Event& event) { events.push_back(event); });
  ASSERT_TRUE(process) << process.error().message;
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateProcess", "HcsWaitForOperationResultAndProcessInfo",
                            "HcsCloseOperation", "HcsSetProcessCallback"}));
  EXPECT_EQ(find_call("HcsCreateProcess")["document"], json::parse(parameters));
  std::uint32_t pid = process->pid();

  UniqueHandle out = process->take_stdout();
  ASSERT_TRUE(out);
  char buffer[64] = {};
  DWORD read = 0;
  ASSERT_TRUE(ReadFile(out.get(), buffer, sizeof buffer - 1, &read, nullptr));
  EXPECT_EQ(std::string(buffer, read), "hello from " + std::to_string(pid) + "\n");
  EXPECT_FALSE(process->take_stdin());  // not asked for

  ASSERT_EQ(d_.fire_process(pid, 0x00010000, R"({"ProcessId":100,"Exited":true,"ExitCode":3,"LastWaitResult":0})"), 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::process_exited);
  EXPECT_EQ(parse_process_exit(events[0].data).exit_code, 3u);
}

TEST_F(ComputeCoreClient, ASpuriousCreateProcessFailureIsRecoveredWithGetProcessInfo) {
  ComputeSystem system = make_system();
  d_.script("HcsCreateProcess", 0, static_cast<long>(0x80070057), "");
  auto process = system.create_process(R"({"CommandLine":"x","CreateStdOutPipe":true})", [](const Event&) {});
  ASSERT_TRUE(process) << process.error().message;
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateProcess", "HcsWaitForOperationResultAndProcessInfo",
                            "HcsCloseOperation", "HcsCreateOperation", "HcsGetProcessInfo",
                            "HcsWaitForOperationResultAndProcessInfo", "HcsCloseOperation", "HcsSetProcessCallback"}));
  EXPECT_NE(process->pid(), 0u);
  EXPECT_TRUE(process->take_stdout());
}

TEST_F(ComputeCoreClient, AFailedRecoveryReportsTheCreateErrorAndClosesTheProcess) {
  ComputeSystem system = make_system();
  d_.script("HcsCreateProcess", 0, static_cast<long>(0x80070057), R"({"ErrorMessage":"bad parameter"})");
  d_.script("HcsGetProcessInfo", 0, static_cast<long>(0x800706F4), "");
  auto process = system.create_process(R"({"CommandLine":"x"})", [](const Event&) {});
  ASSERT_FALSE(process);
  EXPECT_EQ(process.error().code, Errc::invalid_argument);
  EXPECT_EQ(process.error().message, "HcsCreateProcess in web: bad parameter (HRESULT 0x80070057)");
  EXPECT_EQ(names().back(), "HcsCloseProcess");
}

TEST_F(ComputeCoreClient, SignalKillAndCloseStdinOfAProcess) {
  ComputeSystem system = make_system();
  auto process = system.create_process(R"({"CommandLine":"x","CreateStdInPipe":true})", [](const Event&) {});
  ASSERT_TRUE(process);
  std::uint32_t pid = process->pid();
  d_.reset();
  ASSERT_TRUE(process->signal("CtrlShutdown"));
  ASSERT_TRUE(process->close_stdin());
  ASSERT_TRUE(process->terminate());
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsSignalProcess", "HcsWaitForOperationResult", "HcsCloseOperation",
                            "HcsCreateOperation", "HcsModifyProcess", "HcsWaitForOperationResult", "HcsCloseOperation",
                            "HcsCreateOperation", "HcsTerminateProcess", "HcsWaitForOperationResult",
                            "HcsCloseOperation"}));
  EXPECT_EQ(find_call("HcsSignalProcess")["options"], json::parse(R"({"Signal":"CtrlShutdown"})"));
  EXPECT_EQ(find_call("HcsModifyProcess")["document"],
            json::parse(R"({"Operation":"CloseHandle","CloseHandle":{"Handle":"StdIn"}})"));
  EXPECT_TRUE(find_call("HcsTerminateProcess")["options"].is_null());
  // Killing a process that already exited is not an error.
  d_.script("HcsTerminateProcess", 0, static_cast<long>(0x8037011F), "");
  EXPECT_TRUE(process->terminate());

  ComputeProcess moved = std::move(*process);
  { ComputeProcess gone = std::move(moved); }
  EXPECT_EQ(names().back(), "HcsCloseProcess");
  EXPECT_EQ(d_.fire_process(pid, 0x00010000, "{}"), 0);  // no event after close
}

TEST_F(ComputeCoreClient, CrashAndExitEventsReachTheSystemsHandlerUntilClose) {
  std::vector<Event> events;
  {
    ComputeSystem system = make_system(&events);
    ASSERT_EQ(d_.fire_system("web", 0x00000003, R"({"CrashReport":"bugcheck"})"), 1);
    ASSERT_EQ(d_.fire_system("web", 0x00000001, R"({"Status":-2143878906,"ExitType":"UnexpectedExit"})"), 1);
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::system_crash_report);
  EXPECT_EQ(events[1].kind, EventKind::system_exited);
  EXPECT_TRUE(parse_system_exit(events[1].data).unexpected());
  EXPECT_EQ(d_.fire_system("web", 0x00000001, "{}"), 0);
  EXPECT_EQ(events.size(), 2u);
}

TEST_F(ComputeCoreClient, StatisticsAskForStatisticsAndProcessList) {
  ComputeSystem system = make_system();
  d_.script("HcsGetComputeSystemProperties", 0, 0,
            R"({"Statistics":{"Processor":{"TotalRuntime100ns":10},"Memory":{"MemoryUsagePrivateWorkingSetBytes":4096}},)"
            R"("ProcessList":[{"ProcessId":4}]})");
  auto stats = system.statistics(42);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->cpu_usage_ns, 1000u);
  EXPECT_EQ(stats->memory_usage_bytes, 4096u);
  EXPECT_EQ(stats->pids_current, 1u);
  EXPECT_EQ(find_call("HcsGetComputeSystemProperties")["query"],
            json::parse(R"({"PropertyTypes":["Statistics","ProcessList"]})"));
}

TEST_F(ComputeCoreClient, ModifySendsTheRequest) {
  ComputeSystem system = make_system();
  const char* request = R"({"ResourcePath":"Container/Memory/SizeInMB","RequestType":"Update","Settings":256})";
  ASSERT_TRUE(system.modify(request));
  EXPECT_EQ(names(), kOneOperation("HcsModifyComputeSystem"));
  EXPECT_EQ(find_call("HcsModifyComputeSystem")["document"], json::parse(request));
}

TEST_F(ComputeCoreClient, TheSystemLoaderRefusesADllOutsideSystem32) {
  auto api = load_system_compute_core();  // the double is loaded in this process under that name
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().code, Errc::unavailable);
  EXPECT_NE(api.error().message.find("not from System32"), std::string::npos) << api.error().message;
}

TEST_F(ComputeCoreClient, OpenRegistersTheCallback) {
  auto system = ComputeSystem::open(api_, "web", [](const Event&) {});
  ASSERT_TRUE(system);
  EXPECT_EQ(names(), (Names{"HcsOpenComputeSystem", "HcsSetComputeSystemCallback"}));
  EXPECT_EQ(find_call("HcsOpenComputeSystem")["access"], GENERIC_ALL);
}

TEST(ComputeCoreApiTable, AMissingExportIsNamed) {
  auto api = resolve_compute_core([](std::string_view name) -> Result<void*> {
    if (name == "HcsCancelOperation") return make_error(Errc::unavailable, "no HcsCancelOperation");
    static int dummy = 0;
    return static_cast<void*>(&dummy);
  });
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().message, "no HcsCancelOperation");
}

TEST(ComputeCoreApiTable, SystemCopyIsUnavailableWithoutHcs) {
  // Run alone (as CTest does) Wine has no computecore.dll; run after the fixtures above, the
  // double is already loaded under that name and must be refused for not living in System32.
  auto api = load_system_compute_core();
  if (api) GTEST_SKIP() << "this host has computecore.dll in System32 (a Windows host with Containers)";
  EXPECT_EQ(api.error().code, Errc::unavailable);
  EXPECT_NE(api.error().message.find("computecore.dll"), std::string::npos);
}

TEST(LayerId, GuidsAreFormattedLowerCaseWithoutBraces) {
  GUID guid{0x0A1B2C3D, 0x4E5F, 0x6A7B, {0x8C, 0x9D, 0xAE, 0xBF, 0xC0, 0xD1, 0xE2, 0xF3}};
  EXPECT_EQ(format_guid(guid), "0a1b2c3d-4e5f-6a7b-8c9d-aebfc0d1e2f3");
}

TEST(LayerId, HostWithoutVmcomputeSaysSo) {
  auto guid = layer_guid("9f2c0b1a");
  if (guid) GTEST_SKIP() << "this host has vmcompute.dll (a Windows host with Containers)";
  EXPECT_EQ(guid.error().code, Errc::unavailable);
  EXPECT_NE(guid.error().message.find("vmcompute.dll"), std::string::npos) << guid.error().message;
}

TEST(CallbackRegistryTest, AnEventForARemovedIdIsDropped) {
  CallbackRegistry& registry = CallbackRegistry::instance();
  int calls = 0;
  std::uintptr_t id = registry.add([&](const Event&) { ++calls; });
  EXPECT_TRUE(registry.dispatch(id, Event{}));
  registry.remove(id);
  EXPECT_FALSE(registry.dispatch(id, Event{}));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace silo::hcs::computecore
