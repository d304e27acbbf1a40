// The HCS backend and what a utility VM's guest says it supports (GuestConnection), under Wine
// against the computecore.dll double: the question asked right after the VM starts, a guest that
// does not make network namespaces, one that cannot be asked, one that does not run HostProcess
// containers, one whose processes cannot be signalled, and the question asked again after a restart.
#include "tests/hcs/hcs_backend_fixture.h"

namespace silo::engine::hcs_backend::testing {
namespace {

// Where in the call log the first call named `name` to `id` is (calls.size() when there is none).
std::size_t position(const json& calls, const std::string& name, const std::string& id) {
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (calls[i]["call"] == name && calls[i].value("id", "") == id) return i;
  }
  return calls.size();
}

TEST_F(HcsBackendTest, AGuestThatDoesNotMakeNamespacesGetsItsAdapterWithoutOne) {
  guest_connection_ = R"({"GuestConnectionInfo":{"ProtocolVersion":4,"GuestDefinedCapabilities":{"SignalProcessSupported":true}}})";
  network_namespace_ = kSandboxNamespace;
  vm_network_ = sandbox_vm_network();
  auto backend = make_backend(Isolation::hyperv);
  auto created = backend->create(request("c20", "pod20", Isolation::hyperv));
  ASSERT_TRUE(created) << created.error().message;

  const json all = calls();
  const std::size_t started = position(all, "HcsStartComputeSystem", "pod20@vm");
  const std::size_t asked = position(all, "HcsGetComputeSystemProperties", "pod20@vm");
  const std::size_t first_change = position(all, "HcsModifyComputeSystem", "pod20@vm");
  ASSERT_LT(asked, all.size()) << "the VM's guest was never asked";
  EXPECT_EQ(all[asked]["query"], json::parse(R"({"PropertyTypes":["GuestConnection"]})"));
  EXPECT_LT(started, asked) << "asked once the VM runs";
  EXPECT_LT(asked, first_change) << "asked before anything is added to the VM";

  const std::string adapter = std::string("VirtualMachine/Devices/NetworkAdapters/") + kSandboxEndpoint;
  const Names requests = vm_requests(find_calls("HcsModifyComputeSystem"));
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(Names(requests.begin(), requests.begin() + 2), (Names{"Add Network", "Add " + adapter}))
      << "no NetworkNamespace request for a guest that does not make namespaces (hcsshim's AddNetNS)";
  ASSERT_TRUE(backend->remove(*created));
}

TEST_F(HcsBackendTest, AGuestThatCannotBeAskedEndsItsVmAndTheErrorSaysWhy) {
  guest_connection_ = "[]";
  vm_network_ = sandbox_vm_network();
  auto backend = make_backend(Isolation::hyperv);
  auto req = request("c21", "pod21", Isolation::hyperv);
  auto refused = backend->create(req);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_NE(refused.error().message.find("utility VM pod21@vm: asking the guest what it supports: "), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(find_calls("HcsModifyComputeSystem").empty()) << "no network, share or disk for a VM that is ended";
  ASSERT_FALSE(find_calls("HcsTerminateComputeSystem").empty());
  EXPECT_EQ(find_calls("HcsTerminateComputeSystem").back()["id"], "pod21@vm");
  EXPECT_EQ(find_calls("HcsCreateComputeSystem").size(), 1u) << "only the VM was made, never the container";
  EXPECT_EQ(released_, (Names{"c21@pod21"}));
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));
}

TEST_F(HcsBackendTest, HostProcessInAVmWhoseGuestDoesNotRunThemIsRefusedAndLeavesNothing) {
  guest_connection_ = R"({"GuestConnectionInfo":{"GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,)"
                      R"("SignalProcessSupported":true}}})";  // a Windows Server 2022 guest
  auto backend = make_backend(Isolation::hyperv);
  auto req = request("c22", "pod22", Isolation::hyperv);
  req.config.hostprocess = true;
  auto refused = backend->create(req);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("hostprocess: the guest of utility VM pod22@vm does not report "
                                         "HostProcessContainerSupported"),
            std::string::npos)
      << refused.error().message;
  const auto creates = find_calls("HcsCreateComputeSystem");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0]["id"], "pod22@vm") << "the container itself is never made";
  EXPECT_EQ(find_calls("HcsTerminateComputeSystem").back()["id"], "pod22@vm") << "the VM made for it ends";
  EXPECT_EQ(released_, (Names{"c22@pod22"}));
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));

  // Nothing of the refused create lingers: the sandbox's next container gets a VM of its own.
  reset_();
  script_("HcsGetComputeSystemProperties", 0, 0, kFullGuest);
  auto plain = backend->create(request("c22b", "pod22", Isolation::hyperv));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(find_calls("HcsCreateComputeSystem").at(0)["id"], "pod22@vm");
  ASSERT_TRUE(backend->remove(*plain));
}

TEST_F(HcsBackendTest, AContainerInAGuestWithoutSignalsIsStoppedByShuttingItDown) {
  guest_connection_ = R"({"GuestConnectionInfo":{"GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true}}})";
  auto backend = make_backend(Isolation::hyperv);
  auto req = request("c23", "pod23", Isolation::hyperv);
  auto handle = backend->create(req);
  ASSERT_TRUE(handle) << handle.error().message;
  ASSERT_TRUE(backend->start(req, *handle));
  reset_();
  ASSERT_TRUE(backend->signal(*handle, 15));
  EXPECT_TRUE(find_calls("HcsSignalProcess").empty()) << "the guest cannot deliver CtrlShutdown";
  const auto shutdowns = find_calls("HcsShutDownComputeSystem");
  ASSERT_EQ(shutdowns.size(), 1u);
  EXPECT_EQ(shutdowns[0]["id"], "c23") << "the container's system, not the VM";
  ASSERT_EQ(fire_system_("c23", kSystemExited, R"({"Status":0,"ExitType":"GracefulExit"})"), 1);
  auto exit = exit_of("c23");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 143);
  EXPECT_EQ(exit->reason, "shut down gracefully (GracefulExit)");
  ASSERT_TRUE(backend->remove(*handle));
}

TEST_F(HcsBackendTest, AfterARestartTheVmsGuestIsAskedAgainAndItsAnswerGovernsNewContainers) {
  auto before = make_backend(Isolation::hyperv);  // kept alive: silod died without closing anything
  auto req = request("c24", "pod24", Isolation::hyperv);
  auto handle = before->create(req);
  ASSERT_TRUE(handle) << handle.error().message;
  auto started = before->start(req, *handle);
  ASSERT_TRUE(started) << started.error().message;

  reset_();
  guest_connection_ = "[]";  // the restarted silod gets no usable answer from the guest
  auto after = make_backend(Isolation::hyperv);
  auto adopted = after->adopt(*started);
  ASSERT_TRUE(adopted) << adopted.error().message;
  EXPECT_TRUE(adopted->running) << "an unreadable answer does not cost the running container";
  const json all = calls();
  const std::size_t asked = position(all, "HcsGetComputeSystemProperties", "pod24@vm");
  ASSERT_LT(asked, all.size()) << "the adopted VM's guest was not asked";
  EXPECT_EQ(all[asked]["query"], json::parse(R"({"PropertyTypes":["GuestConnection"]})"));
  EXPECT_LT(position(all, "HcsOpenComputeSystem", "pod24@vm"), asked);

  // Taken to support nothing optional: the adopted VM takes no HostProcess container, and stays.
  reset_();
  auto host = request("c25", "pod24", Isolation::hyperv);
  host.config.hostprocess = true;
  auto refused = after->create(host);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("HostProcessContainerSupported"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(find_calls("HcsCreateComputeSystem").empty()) << "no second VM, no container";
  EXPECT_TRUE(find_calls("HcsTerminateComputeSystem").empty()) << "c24 still holds the VM";
  before.reset();
  ASSERT_TRUE(after->remove(*started));
}

}  // namespace
}  // namespace silo::engine::hcs_backend::testing
