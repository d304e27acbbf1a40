// The HCS backend against the computecore.dll double, under Wine: the exact calls and documents for
// create+start, exec, stop, kill, a start timeout, a crash, adopt after a restart and remove, and
// the hyperv sandbox's utility VM (made once for two containers, ended with the last).
#include "core/engine/monitor/monitor_files.h"
#include "tests/hcs/hcs_backend_fixture.h"

#include <algorithm>

namespace silo::engine::hcs_backend::testing {
namespace {

constexpr long kTimeout = static_cast<long>(0x80370118);
constexpr long kSystemNotFound = static_cast<long>(0x8037010E);

const Names kStartSequence = {"HcsCreateOperation", "HcsStartComputeSystem", "HcsWaitForOperationResult",
                              "HcsCloseOperation", "HcsCreateOperation", "HcsCreateProcess",
                              "HcsWaitForOperationResultAndProcessInfo", "HcsCloseOperation",
                              "HcsSetProcessCallback"};

std::string process_exit(unsigned pid, int code) {
  return json{{"ProcessId", pid}, {"Exited", true}, {"ExitCode", code}, {"LastWaitResult", 0}}.dump();
}

TEST_F(HcsBackendTest, CreateSendsTheArgonDocumentAndStartRunsTheInitProcessIntoTheLog) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c1", "c1", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle) << handle.error().message;
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateComputeSystem", "HcsWaitForOperationResult",
                            "HcsCloseOperation", "HcsSetComputeSystemCallback"}));
  json create = find_call("HcsCreateComputeSystem");
  EXPECT_EQ(create["id"], "c1");
  json doc = create["document"];
  EXPECT_EQ(doc["ShouldTerminateOnLastHandleClosed"], true);
  EXPECT_FALSE(doc.contains("HostingSystemId"));
  ASSERT_EQ(doc["Container"]["Storage"]["Layers"].size(), 2u);
  EXPECT_EQ(doc["Container"]["Storage"]["Layers"][0]["Path"], layers_[0].path);
  EXPECT_EQ(doc["Container"]["Storage"]["Layers"][1]["Id"], layers_[1].guid);
  EXPECT_EQ(doc["Container"]["Storage"]["Path"], "\\\\?\\Volume{6f3a2b1c-4d5e-4f60-9a8b-7c6d5e4f3a2b}\\");

  reset_();
  auto started = backend->start(req, *handle);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(names(), kStartSequence);
  json params = find_call("HcsCreateProcess")["document"];
  EXPECT_EQ(params["CommandLine"], "ping -n 3 127.0.0.1");
  EXPECT_EQ(params["CreateStdOutPipe"], true);
  EXPECT_EQ(params["CreateStdErrPipe"], true);

  unsigned pid = last_pid();
  ASSERT_EQ(fire_process_(pid, kProcessExited, process_exit(pid, 3).c_str()), 1);
  auto exit = exit_of("c1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(exit->reason, "exited with code 3");
  EXPECT_EQ(log_text(req.state_dir), "stdout: hello from " + std::to_string(pid) + "\n");
  auto recorded = monitor::read_exit_status(req.state_dir);  // what adopt() finds after a restart
  ASSERT_TRUE(recorded && *recorded);
  EXPECT_EQ((*recorded)->exit_code, 3);

  reset_();
  ASSERT_TRUE(backend->remove(*started));
  // The container ends with its init process: the system was terminated, then every handle closed.
  Names calls = names();
  EXPECT_NE(std::find(calls.begin(), calls.end(), "HcsTerminateComputeSystem"), calls.end());
  EXPECT_EQ(find_call("HcsCloseProcess")["pid"], pid);
  EXPECT_EQ(find_call("HcsCloseComputeSystem")["id"], "c1");
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));
  // The storage and network were prepared once, and released after the system was closed.
  EXPECT_EQ(prepared_, (Names{"c1"}));
  EXPECT_EQ(released_, (Names{"c1@c1"}));
}

TEST_F(HcsBackendTest, ExecRunsInTheSystemWithItsOwnLogAndExit) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c2", "c2", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(backend->start(req, *handle));
  ExecRequest exec;
  exec.exec_id = "e1";
  exec.command = {"cmd", "/c", "echo hi"};
  exec.env = {"A=1"};
  exec.state_dir = req.state_dir / "exec" / "e1";
  reset_();
  auto ran = backend->exec(*handle, exec);
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsCreateProcess", "HcsWaitForOperationResultAndProcessInfo",
                            "HcsCloseOperation", "HcsSetProcessCallback"}));
  json create = find_call("HcsCreateProcess");
  EXPECT_EQ(create["id"], "c2");
  EXPECT_EQ(create["document"]["CommandLine"], "cmd /c \"echo hi\"");
  EXPECT_EQ(create["document"]["Environment"]["A"], "1");
  unsigned pid = last_pid();
  ASSERT_EQ(fire_process_(pid, kProcessExited, process_exit(pid, 0).c_str()), 1);
  auto exit = exit_of("c2", "e1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_FALSE(exit_of("c2"));  // the container still runs
  EXPECT_EQ(log_text(exec.state_dir), "stdout: hello from " + std::to_string(pid) + "\n");
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, StopSendsCtrlShutdownThenTerminateEndsTheSystemAsSigkill) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c3", "c3", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(backend->start(req, *handle));
  unsigned pid = last_pid();
  reset_();
  ASSERT_TRUE(backend->signal(*handle, 15));
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsSignalProcess", "HcsWaitForOperationResult", "HcsCloseOperation"}));
  EXPECT_EQ(find_call("HcsSignalProcess")["options"], json::parse(R"({"Signal":"CtrlShutdown"})"));
  EXPECT_EQ(find_call("HcsSignalProcess")["pid"], pid);
  // The program ignored it; the stop timeout passed and services escalate to terminate.
  reset_();
  ASSERT_TRUE(backend->terminate(*handle));
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsTerminateComputeSystem", "HcsWaitForOperationResult",
                            "HcsCloseOperation"}));
  ASSERT_EQ(fire_system_("c3", kSystemExited, R"({"Status":0,"ExitType":"ForcedExit"})"), 1);
  auto exit = exit_of("c3");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 137);
  EXPECT_EQ(exit->signal, 9);
  EXPECT_EQ(exit->reason, "killed by SIGKILL");
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, SigintIsCtrlCAndSigkillTerminatesWithoutSignalling) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c4", "c4", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(backend->start(req, *handle));
  unsigned pid = last_pid();
  reset_();
  ASSERT_TRUE(backend->signal(*handle, 2));
  EXPECT_EQ(find_call("HcsSignalProcess")["options"], json::parse(R"({"Signal":"CtrlC"})"));
  reset_();
  ASSERT_TRUE(backend->signal(*handle, 9));
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsTerminateComputeSystem", "HcsWaitForOperationResult",
                            "HcsCloseOperation"}));
  // HCS ends the init process with the system; its exit is still reported as the kill it was.
  ASSERT_EQ(fire_process_(pid, kProcessExited, process_exit(pid, 1).c_str()), 1);
  ASSERT_TRUE(exit_of("c4"));
  EXPECT_EQ(exit_of("c4")->exit_code, 137);
  EXPECT_EQ(exit_of("c4")->reason, "killed by SIGKILL");
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, StartTimeoutCancelsTheOperationAndTerminatesTheSystem) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c5", "c5", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle);
  reset_();
  script_("HcsStartComputeSystem", 0, kTimeout, "");
  auto started = backend->start(req, *handle);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::unavailable);
  EXPECT_NE(started.error().message.find("HcsStartComputeSystem c5 did not finish"), std::string::npos)
      << started.error().message;
  EXPECT_EQ(names(), (Names{"HcsCreateOperation", "HcsStartComputeSystem", "HcsWaitForOperationResult",
                            "HcsCancelOperation", "HcsCloseOperation", "HcsCreateOperation",
                            "HcsTerminateComputeSystem", "HcsWaitForOperationResult", "HcsCloseOperation"}));
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, SystemExitingUnexpectedlyIsReportedAsACrash) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c6", "c6", Isolation::process);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle);
  ASSERT_TRUE(backend->start(req, *handle));
  ASSERT_EQ(fire_system_("c6", kSystemExited, R"({"Status":-2143878906,"ExitType":"UnexpectedExit"})"), 1);
  auto exit = exit_of("c6");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 255);
  EXPECT_FALSE(exit->signal);
  EXPECT_EQ(exit->reason, "the compute system exited unexpectedly (UnexpectedExit, HRESULT 0x80370106)");
  // A late init-process exit does not report the container a second time.
  unsigned pid = last_pid();
  fire_process_(pid, kProcessExited, process_exit(pid, 1).c_str());
  EXPECT_EQ(exit_reports_, 1);
  EXPECT_EQ(exit_of("c6")->exit_code, 255);
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, AdoptAfterARestartOpensTheSystemAndWatchesIt) {
  auto before = make_backend(Isolation::process);  // kept alive: silod died without closing anything
  auto req = request("c7", "c7", Isolation::process);
  auto handle = before->create(req);
  ASSERT_TRUE(handle);
  auto started = before->start(req, *handle);
  ASSERT_TRUE(started);

  auto after = make_backend(Isolation::process);
  reset_();
  auto adopted = after->adopt(*started);
  ASSERT_TRUE(adopted) << adopted.error().message;
  EXPECT_TRUE(adopted->running);
  EXPECT_FALSE(adopted->exit);
  EXPECT_EQ(names(), (Names{"HcsOpenComputeSystem", "HcsSetComputeSystemCallback"}));
  EXPECT_EQ(find_call("HcsOpenComputeSystem")["id"], "c7");
  reset_();
  script_("HcsGetComputeSystemProperties", 0, 0,
          R"({"Statistics":{"Processor":{"TotalRuntime100ns":25},"Memory":{"MemoryUsagePrivateWorkingSetBytes":4096}}})");
  auto stats = after->stats(*started);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->cpu_usage_ns, 2500u);
  EXPECT_EQ(stats->memory_usage_bytes, 4096u);
  EXPECT_EQ(find_call("HcsGetComputeSystemProperties")["id"], "c7");
  ASSERT_TRUE(after->terminate(*started));
  ASSERT_EQ(fire_system_("c7", kSystemExited, R"({"Status":0,"ExitType":"ForcedExit"})"), 1);
  ASSERT_TRUE(exit_of("c7"));
  EXPECT_EQ(exit_of("c7")->reason, "killed by SIGKILL");

  // A third start finds the exit recorded and asks HCS nothing.
  auto third = make_backend(Isolation::process);
  reset_();
  auto again = third->adopt(*started);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->running);
  ASSERT_TRUE(again->exit);
  EXPECT_EQ(again->exit->exit_code, 137);
  EXPECT_TRUE(names().empty());
  before.reset();  // the old silod's files close with it (Windows deletes no open file)
  ASSERT_TRUE(after->remove(*started));
}

TEST_F(HcsBackendTest, AdoptOfASystemHcsNoLongerKnowsReportsItsEnd) {
  auto before = make_backend(Isolation::process);
  auto req = request("c8", "c8", Isolation::process);
  auto handle = before->create(req);
  ASSERT_TRUE(handle);
  auto started = before->start(req, *handle);
  ASSERT_TRUE(started);
  auto after = make_backend(Isolation::process);
  script_("HcsOpenComputeSystem", kSystemNotFound, 0, "");
  auto adopted = after->adopt(*started);
  ASSERT_TRUE(adopted) << adopted.error().message;
  EXPECT_FALSE(adopted->running);
  ASSERT_TRUE(adopted->exit);
  EXPECT_EQ(adopted->exit->reason, "the compute system c8 ended while silod was down; its exit code is lost");
  before.reset();
  ASSERT_TRUE(after->remove(*started));
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));
}

TEST_F(HcsBackendTest, HypervSandboxMakesOneUtilityVmForTwoContainersAndEndsItWithTheLast) {
  auto backend = make_backend(Isolation::hyperv);
  auto first = request("c9a", "pod1", Isolation::hyperv);
  auto second = request("c9b", "pod1", Isolation::hyperv);
  auto h1 = backend->create(first);
  ASSERT_TRUE(h1) << h1.error().message;
  auto creates = find_calls("HcsCreateComputeSystem");
  ASSERT_EQ(creates.size(), 2u);
  EXPECT_EQ(creates[0]["id"], "pod1@vm");
  EXPECT_TRUE(creates[0]["document"].contains("VirtualMachine"));
  EXPECT_EQ(find_calls("HcsStartComputeSystem").at(0)["id"], "pod1@vm");
  const std::string lun1 = "VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/1";
  const std::string lun2 = "VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/2";
  auto modifies = find_calls("HcsModifyComputeSystem");
  for (const json& call : modifies) EXPECT_EQ(call["id"], "pod1@vm");
  // One VSMB share per layer, then the container's disk: attached, mounted in the guest, layers combined over it.
  EXPECT_EQ(vm_requests(modifies), (Names{"Add share", "Add share", "Add " + lun1, "Add MappedVirtualDisk", "Add CombinedLayers"}));
  EXPECT_EQ(modifies[2]["document"]["Settings"]["Path"], root_.string() + "\\scratch\\c9a\\sandbox.vhdx");
  const json combined = modifies[4]["document"]["GuestRequest"]["Settings"];
  EXPECT_EQ(combined["ContainerRootPath"], "c:\\mounts\\scsi\\m1");
  ASSERT_EQ(combined["Layers"].size(), 2u);
  EXPECT_EQ(combined["Layers"][0]["Id"], layers_[0].guid) << "top-most layer first";
  EXPECT_EQ(creates[1]["id"], "c9a");
  EXPECT_EQ(creates[1]["document"]["HostingSystemId"], "pod1@vm");
  EXPECT_EQ(creates[1]["document"]["HostedSystem"]["Container"]["Storage"]["Path"], "c:\\mounts\\scsi\\m1");

  reset_();
  auto h2 = backend->create(second);
  ASSERT_TRUE(h2) << h2.error().message;
  creates = find_calls("HcsCreateComputeSystem");
  ASSERT_EQ(creates.size(), 1u);  // the VM is there already, with the layers shared
  EXPECT_EQ(creates[0]["id"], "c9b");
  EXPECT_EQ(creates[0]["document"]["HostingSystemId"], "pod1@vm");
  EXPECT_EQ(creates[0]["document"]["HostedSystem"]["Container"]["Storage"]["Path"], "c:\\mounts\\scsi\\m2");
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")), (Names{"Add " + lun2, "Add MappedVirtualDisk", "Add CombinedLayers"}))
      << "the second container's disk on the next LUN; the layer shares are there already";

  reset_();
  ASSERT_TRUE(backend->remove(*h1));
  for (const json& call : find_calls("HcsCloseComputeSystem")) EXPECT_NE(call["id"], "pod1@vm");
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")), (Names{"Remove CombinedLayers", "Remove MappedVirtualDisk", "Remove " + lun1}))
      << "c9a's disk goes; c9b still uses the layer shares";

  reset_();
  auto h3 = backend->create(request("c9c", "pod1", Isolation::hyperv));
  ASSERT_TRUE(h3) << h3.error().message;
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")).at(0), "Add " + lun1) << "a freed LUN is used again";
  ASSERT_TRUE(backend->remove(*h3));

  reset_();
  ASSERT_TRUE(backend->remove(*h2));
  auto terminates = find_calls("HcsTerminateComputeSystem");
  ASSERT_FALSE(terminates.empty());
  EXPECT_EQ(terminates.back()["id"], "pod1@vm");
  EXPECT_EQ(find_calls("HcsCloseComputeSystem").back()["id"], "pod1@vm");
}

TEST_F(HcsBackendTest, AHypervContainerWhoseDiskCannotBeCombinedLeavesNoDiskInTheVm) {
  auto backend = make_backend(Isolation::hyperv);
  for (int i = 0; i < 4; ++i) script_("HcsModifyComputeSystem", 0, 0, "");  // two shares, attach, mount
  script_("HcsModifyComputeSystem", static_cast<long>(0x80070005), 0, "");  // then CombinedLayers is refused
  auto refused = backend->create(request("c9d", "pod9", Isolation::hyperv));
  ASSERT_FALSE(refused);
  const std::string lun1 = "VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/1";
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")),
            (Names{"Add share", "Add share", "Add " + lun1, "Add MappedVirtualDisk", "Add CombinedLayers", "Remove MappedVirtualDisk",
                   "Remove " + lun1}))
      << "what was added is taken back, newest first";
  EXPECT_EQ(find_calls("HcsTerminateComputeSystem").back()["id"], "pod9@vm") << "the VM made for it alone ends";
  EXPECT_EQ(released_, (Names{"c9d@pod9"}));
}

TEST_F(HcsBackendTest, AHypervSandboxsVmGetsItsNetworkBeforeAnyDiskAndItsContainersJoinTheNamespace) {
  network_namespace_ = kSandboxNamespace;
  vm_network_ = sandbox_vm_network();
  auto backend = make_backend(Isolation::hyperv);
  auto first = backend->create(request("c11", "pod3", Isolation::hyperv));
  ASSERT_TRUE(first) << first.error().message;
  const std::string adapter = std::string("VirtualMachine/Devices/NetworkAdapters/") + kSandboxEndpoint;
  const std::string lun1 = "VirtualMachine/Devices/Scsi/df6d0690-79e5-55b6-a5ec-c1e2f77f580a/Attachments/1";
  auto modifies = find_calls("HcsModifyComputeSystem");
  EXPECT_EQ(vm_requests(modifies), (Names{"Add NetworkNamespace", "Add Network", "Add " + adapter, "Add share", "Add share",
                                          "Add " + lun1, "Add MappedVirtualDisk", "Add CombinedLayers"}))
      << "hcsshim's order: the namespace in the guest, the adapter announced, then added";
  EXPECT_EQ(modifies[0]["document"]["GuestRequest"]["Settings"]["ID"], kSandboxNamespace);
  const json preadd = modifies[1]["document"]["GuestRequest"]["Settings"];
  EXPECT_EQ(preadd["AdapterId"], kSandboxEndpoint);
  EXPECT_EQ(preadd["RequestType"], "PreAdd");
  EXPECT_EQ(preadd["Settings"]["ID"], kSandboxEndpoint);
  EXPECT_EQ(modifies[2]["document"]["Settings"]["EndpointId"], kSandboxEndpoint);
  EXPECT_EQ(modifies[2]["document"]["Settings"]["MacAddress"], "00-15-5D-52-C0-0A");
  EXPECT_EQ(modifies[2]["document"]["GuestRequest"]["Settings"]["RequestType"], "Add");
  EXPECT_EQ(find_calls("HcsCreateComputeSystem").back()["document"]["HostedSystem"]["Container"]["Networking"]["Namespace"],
            kSandboxNamespace);

  reset_();
  auto host = request("c12", "pod3", Isolation::hyperv);
  host.config.hostprocess = true;
  auto second = backend->create(host);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")).at(0).rfind("Add VirtualMachine/Devices/Scsi/", 0), 0u)
      << "the VM has its network already";
  EXPECT_FALSE(find_calls("HcsCreateComputeSystem").back()["document"]["HostedSystem"]["Container"].contains("Networking"))
      << "a HostProcess container uses the VM's network";
  ASSERT_TRUE(backend->remove(*second));
  ASSERT_TRUE(backend->remove(*first));
}

TEST_F(HcsBackendTest, AVmThatRefusesItsNetworkAdapterEndsAndTheErrorNamesTheStep) {
  vm_network_ = sandbox_vm_network();
  auto backend = make_backend(Isolation::hyperv);
  script_("HcsModifyComputeSystem", 0, 0, "");  // the guest's namespace
  script_("HcsModifyComputeSystem", 0, 0, "");  // PreAdd
  script_("HcsModifyComputeSystem", static_cast<long>(0x80070005), 0, "");  // the adapter is refused
  auto refused = backend->create(request("c13", "pod4", Isolation::hyperv));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(std::string("utility VM pod4@vm: adding the network adapter (endpoint ") +
                                         kSandboxEndpoint + "): "),
            std::string::npos)
      << refused.error().message;
  EXPECT_EQ(vm_requests(find_calls("HcsModifyComputeSystem")).size(), 3u) << "no share or disk after a refused network";
  EXPECT_EQ(find_calls("HcsTerminateComputeSystem").back()["id"], "pod4@vm");
  EXPECT_EQ(released_, (Names{"c13@pod4"}));
}

TEST_F(HcsBackendTest, HostProcessContainerInAHypervSandboxUsesTheInVmDocumentAndCmdPrefix) {
  auto backend = make_backend(Isolation::hyperv);
  auto req = request("c10", "pod2", Isolation::hyperv);
  req.config.hostprocess = true;
  auto handle = backend->create(req);
  ASSERT_TRUE(handle) << handle.error().message;
  json doc = find_calls("HcsCreateComputeSystem").back()["document"];
  EXPECT_EQ(doc["HostingSystemId"], "pod2@vm");
  EXPECT_EQ(doc["HostedSystem"]["Container"]["IsolationType"], "HostProcess");
  reset_();
  ASSERT_TRUE(backend->start(req, *handle));
  EXPECT_EQ(find_call("HcsCreateProcess")["document"]["CommandLine"], "cmd /c ping -n 3 127.0.0.1");
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, BadLayerChainsAreRefusedNamingTheFieldAndLeaveNothing) {
  auto backend = make_backend(Isolation::process);
  auto req = request("c11", "c11", Isolation::process);
  auto all = layers_;
  layers_.clear();
  auto none = backend->create(req);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::invalid_argument);
  EXPECT_EQ(none.error().message.rfind("layer: ", 0), 0u) << none.error().message;

  layers_ = {all[0]};  // a chain without its base layer
  auto no_base = backend->create(req);
  ASSERT_FALSE(no_base);
  EXPECT_EQ(no_base.error().code, Errc::invalid_argument);
  EXPECT_NE(no_base.error().message.find("is not a base OS layer"), std::string::npos) << no_base.error().message;

  layers_ = all;
  std::filesystem::remove_all(std::filesystem::path(all[1].path) / "UtilityVM");
  auto vm_backend = make_backend(Isolation::hyperv);
  auto no_uvm = vm_backend->create(request("c12", "pod3", Isolation::hyperv));
  ASSERT_FALSE(no_uvm);
  EXPECT_EQ(no_uvm.error().code, Errc::invalid_argument);
  EXPECT_NE(no_uvm.error().message.find("UtilityVM\\Files"), std::string::npos) << no_uvm.error().message;

  EXPECT_TRUE(names().empty());  // HCS was never asked
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));
  // Each refused create handed its placement back (nothing stays mounted or joined).
  EXPECT_EQ(prepared_, (Names{"c11", "c11", "c12"}));
  EXPECT_EQ(released_, (Names{"c11@c11", "c11@c11", "c12@pod3"}));
}

TEST_F(HcsBackendTest, ProbeUnderWineNamesComputecore) {
  HcsBackend backend(HcsBackendOptions{});
  Availability available = backend.probe();
  if (available.available) GTEST_SKIP() << "this host has HCS (a real Windows with Containers)";
  EXPECT_NE(available.reason.find("computecore.dll"), std::string::npos) << available.reason;
  HcsBackendOptions hyperv;
  hyperv.isolation = Isolation::hyperv;
  EXPECT_NE(HcsBackend(hyperv).probe().reason.find("computecore.dll"), std::string::npos);
}

// A host with HCS but a backend without a placement source (silod.exe today) is reported
// unavailable, with the reason; with a placement source the host's answer stands.
TEST_F(HcsBackendTest, ProbeWithoutPlacementSaysWhatIsMissing) {
  HcsBackendOptions options;
  options.capabilities = [] {
    windows::HostCapabilities host;
    host.process = {true, ""};
    host.hyperv = {false, "the Hyper-V feature is not enabled"};
    return host;
  };
  Availability process = HcsBackend(options).probe();
  EXPECT_FALSE(process.available);
  EXPECT_NE(process.reason.find("does not prepare layers, scratch and networking"), std::string::npos) << process.reason;
  options.isolation = Isolation::hyperv;
  EXPECT_EQ(HcsBackend(options).probe().reason, "the Hyper-V feature is not enabled");
  options.isolation = Isolation::process;
  options.no_placement_reason = "process isolation needs vmcompute.dll";
  EXPECT_EQ(HcsBackend(options).probe().reason, "process isolation needs vmcompute.dll");
  options.placement = std::make_shared<RecordingPlacement>(*this);
  EXPECT_TRUE(HcsBackend(options).probe().available);
}

}  // namespace
}  // namespace silo::engine::hcs_backend::testing
