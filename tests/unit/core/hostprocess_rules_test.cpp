// One test per HostProcess rule (hcsshim PR #2531 pod.go and Kubernetes HostProcess pods), each
// asserting the message a user would read.
#include "core/model/hostprocess_rules.h"

#include "core/model/hostprocess_annotations.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

const std::string kHpc(hostprocess::kContainerAnnotation);
const std::string kInherit(hostprocess::kInheritUserAnnotation);
const std::string kRootfs(hostprocess::kRootfsLocationAnnotation);
const std::string kId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

PlacementContext windows() {
  return {HostPlatform::windows, "C:\\ProgramData\\silo", kId};
}
PlacementContext linux_host() {
  return {HostPlatform::posix, "/var/lib/silo", kId};
}

ContainerSpec container(StringMap annotations = {}) {
  ContainerSpec spec;
  spec.name = "web";
  spec.command = {"cmd", "/c", "echo hi"};
  spec.annotations = std::move(annotations);
  return spec;
}

SandboxSpec sandbox(Isolation isolation, StringMap annotations = {}) {
  return SandboxSpec{"pod1", isolation, {}, std::move(annotations)};
}

void expect_error(const Result<EffectiveContainerConfig>& r, Errc code, const std::string& message) {
  ASSERT_FALSE(r) << "expected: " << message;
  EXPECT_EQ(r.error().code, code);
  EXPECT_EQ(r.error().message, message);
}

TEST(HostProcessRules, ContainerNeedsASandboxMarkedTheSame) {
  for (Isolation iso : {Isolation::process, Isolation::hyperv}) {
    expect_error(resolve_container_config(container({{kHpc, "true"}}), sandbox(iso), windows()),
                 Errc::failed_precondition,
                 "container web is a HostProcess container but sandbox pod1 is not marked "
                 "microsoft.com/hostprocess-container=true; create it in a sandbox with that annotation, or without a "
                 "sandbox to get its own");
  }
}

TEST(HostProcessRules, ProcessHostProcessSandboxAcceptsOnlyHostProcessContainers) {
  expect_error(resolve_container_config(container(), sandbox(Isolation::process, {{kHpc, "true"}}), windows()),
               Errc::failed_precondition,
               "sandbox pod1 is a process-isolated HostProcess sandbox and accepts only HostProcess containers; "
               "container web is not one (set isolation hostprocess or annotation "
               "microsoft.com/hostprocess-container=true)");
  auto hpc =
      resolve_container_config(container({{kHpc, "true"}}), sandbox(Isolation::process, {{kHpc, "true"}}), windows());
  ASSERT_TRUE(hpc) << hpc.error().message;
  EXPECT_TRUE(hpc.value().hostprocess);
  EXPECT_EQ(hpc.value().isolation, Isolation::hostprocess);
}

TEST(HostProcessRules, HypervHostProcessSandboxAlsoAcceptsNormalContainers) {
  auto vm = sandbox(Isolation::hyperv, {{kHpc, "true"}});
  auto normal = resolve_container_config(container(), vm, windows());
  ASSERT_TRUE(normal) << normal.error().message;
  EXPECT_FALSE(normal.value().hostprocess);
  EXPECT_EQ(normal.value().isolation, Isolation::hyperv);
  EXPECT_FALSE(normal.value().rootfs_location);

  auto hpc = resolve_container_config(container({{kHpc, "true"}}), vm, windows());
  ASSERT_TRUE(hpc) << hpc.error().message;
  EXPECT_TRUE(hpc.value().hostprocess);
  EXPECT_EQ(hpc.value().isolation, Isolation::hyperv);  // privileged, but inside the VM
}

TEST(HostProcessRules, SandboxUserAndRootfsAnnotationsPassToHostProcessContainersOnly) {
  StringMap marked = {{kHpc, "true"}, {kInherit, "true"}, {kRootfs, "D:\\hpc-roots"}};
  auto hpc = resolve_container_config(container({{kHpc, "true"}}), sandbox(Isolation::process, marked), windows());
  ASSERT_TRUE(hpc) << hpc.error().message;
  EXPECT_EQ(hpc.value().annotations.at(kInherit), "true");
  EXPECT_EQ(hpc.value().annotations.at(kRootfs), "D:\\hpc-roots");
  EXPECT_EQ(hpc.value().rootfs_location, "D:\\hpc-roots");
  EXPECT_TRUE(hpc.value().inherit_user);

  auto normal = resolve_container_config(container(), sandbox(Isolation::hyperv, marked), windows());
  ASSERT_TRUE(normal) << normal.error().message;
  EXPECT_EQ(normal.value().annotations.count(kRootfs), 0U);
  EXPECT_FALSE(normal.value().inherit_user);
}

TEST(HostProcessRules, ContainerValueConflictingWithTheSandboxIsRejected) {
  StringMap marked = {{kHpc, "true"}, {kRootfs, "D:\\a"}};
  expect_error(resolve_container_config(container({{kHpc, "true"}, {kRootfs, "D:\\b"}}),
                                        sandbox(Isolation::process, marked), windows()),
               Errc::failed_precondition,
               "container web sets annotations[\"microsoft.com/hostprocess-rootfs-location\"] \"D:\\b\" but sandbox "
               "pod1 sets \"D:\\a\"; leave it to the sandbox or give the same value");
}

TEST(HostProcessRules, NormalContainerInHypervHostProcessSandboxGetsInheritUserFalse) {
  auto vm = sandbox(Isolation::hyperv, {{kHpc, "true"}, {kInherit, "true"}});
  auto plain = resolve_container_config(container(), vm, windows());
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain.value().annotations.at(kInherit), "false");
  auto sneaky = resolve_container_config(container({{kInherit, "true"}}), vm, windows());
  ASSERT_TRUE(sneaky) << sneaky.error().message;
  EXPECT_EQ(sneaky.value().annotations.at(kInherit), "false");
  EXPECT_FALSE(sneaky.value().inherit_user);
  EXPECT_EQ(sneaky.value().user, "");
  // hcsshim's rule 4 holds everywhere: a normal container never keeps inherit-user "true".
  auto elsewhere = resolve_container_config(container({{kInherit, "true"}}), std::nullopt, linux_host());
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere.value().annotations.at(kInherit), "false");
}

TEST(HostProcessRules, InheritUserInHypervSandboxMeansSystem) {
  auto vm = sandbox(Isolation::hyperv, {{kHpc, "true"}, {kInherit, "true"}});
  auto hpc = resolve_container_config(container({{kHpc, "true"}}), vm, windows());
  ASSERT_TRUE(hpc) << hpc.error().message;
  EXPECT_EQ(hpc.value().user, "NT AUTHORITY\\SYSTEM");
  EXPECT_TRUE(hpc.value().inherit_user);

  ContainerSpec other = container({{kHpc, "true"}});
  other.user = "ContainerUser";
  expect_error(resolve_container_config(other, vm, windows()), Errc::invalid_argument,
               "container web sets user \"ContainerUser\" but inherits the user "
               "(microsoft.com/hostprocess-inherit-user=true), which runs it as NT AUTHORITY\\SYSTEM inside the VM; "
               "drop one of them");
  other.user = "nt authority\\system";
  EXPECT_TRUE(resolve_container_config(other, vm, windows()));
}

TEST(HostProcessRules, InheritUserOnTheHostMeansTheDaemonsAccount) {
  auto hpc = resolve_container_config(container({{kHpc, "true"}, {kInherit, "true"}}), std::nullopt, windows());
  ASSERT_TRUE(hpc) << hpc.error().message;
  EXPECT_TRUE(hpc.value().inherit_user);
  EXPECT_EQ(hpc.value().user, "");
  ContainerSpec with_user = container({{kHpc, "true"}, {kInherit, "true"}});
  with_user.user = "NT AUTHORITY\\SYSTEM";
  expect_error(resolve_container_config(with_user, std::nullopt, windows()), Errc::invalid_argument,
               "container web sets user \"NT AUTHORITY\\SYSTEM\" but inherits the user "
               "(microsoft.com/hostprocess-inherit-user=true), which runs it as the daemon's own account; drop one of "
               "them");
}

TEST(HostProcessRules, RootfsLocationDefaultsPerPlatform) {
  auto on_windows = resolve_container_config(container({{kHpc, "true"}}), std::nullopt, windows());
  ASSERT_TRUE(on_windows);
  EXPECT_EQ(on_windows.value().rootfs_location, "C:\\hpc");
  auto on_linux = resolve_container_config(container({{kHpc, "true"}}), std::nullopt, linux_host());
  ASSERT_TRUE(on_linux);
  EXPECT_EQ(on_linux.value().rootfs_location, "/var/lib/silo/hostprocess/" + kId);
  auto custom_linux =
      resolve_container_config(container({{kHpc, "true"}, {kRootfs, "/srv/hpc/"}}), std::nullopt, linux_host());
  ASSERT_TRUE(custom_linux);
  EXPECT_EQ(custom_linux.value().rootfs_location, "/srv/hpc/" + kId);
}

TEST(HostProcessRules, RootfsLocationMustNotShadowSystemFolders) {
  expect_error(
      resolve_container_config(container({{kHpc, "true"}, {kRootfs, "c:\\windows\\temp"}}), std::nullopt, windows()),
      Errc::invalid_argument,
      "annotations[\"microsoft.com/hostprocess-rootfs-location\"] \"c:\\windows\\temp\" must not be or lie "
      "under C:\\Windows");
  expect_error(
      resolve_container_config(container({{kHpc, "true"}, {kRootfs, "\\\\server\\share"}}), std::nullopt, windows()),
      Errc::invalid_argument,
      "annotations[\"microsoft.com/hostprocess-rootfs-location\"] \"\\\\server\\share\" must be an absolute "
      "drive path such as C:\\hpc (no UNC path, no '..')");
  EXPECT_TRUE(
      resolve_container_config(container({{kHpc, "true"}, {kRootfs, "C:\\WindowsApps2"}}), std::nullopt, windows()));
  expect_error(resolve_container_config(container({{kHpc, "true"}, {kRootfs, "/"}}), std::nullopt, linux_host()),
               Errc::invalid_argument,
               "annotations[\"microsoft.com/hostprocess-rootfs-location\"] \"/\" must be an absolute directory other "
               "than / (no '..')");
  expect_error(resolve_container_config(container({{kHpc, "true"}, {kRootfs, "/proc/x"}}), std::nullopt, linux_host()),
               Errc::invalid_argument,
               "annotations[\"microsoft.com/hostprocess-rootfs-location\"] \"/proc/x\" must not be or lie under /proc");
}

TEST(HostProcessRules, ContainerWithoutSandboxGetsOneMarkedToMatch) {
  ContainerSpec by_isolation = container();
  by_isolation.isolation = Isolation::hostprocess;
  auto implicit = implicit_sandbox_for(by_isolation);
  ASSERT_TRUE(implicit);
  EXPECT_EQ(implicit.value().isolation, Isolation::process);
  EXPECT_TRUE(is_hostprocess_sandbox(implicit.value()));

  ContainerSpec vm_hpc = container({{kHpc, "true"}});
  vm_hpc.isolation = Isolation::hyperv;
  implicit = implicit_sandbox_for(vm_hpc);
  ASSERT_TRUE(implicit);
  EXPECT_EQ(implicit.value().isolation, Isolation::hyperv);
  EXPECT_TRUE(is_hostprocess_sandbox(implicit.value()));

  implicit = implicit_sandbox_for(container());
  ASSERT_TRUE(implicit);
  EXPECT_EQ(implicit.value().isolation, Isolation::process);
  EXPECT_FALSE(is_hostprocess_sandbox(implicit.value()));
  EXPECT_TRUE(implicit.value().annotations.empty());
}

TEST(HostProcessRules, IsolationHostProcessIsShorthandForTheAnnotation) {
  ContainerSpec spec = container();
  spec.isolation = Isolation::hostprocess;
  auto config = resolve_container_config(spec, std::nullopt, linux_host());
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config.value().hostprocess);
  EXPECT_EQ(config.value().isolation, Isolation::hostprocess);
  EXPECT_EQ(config.value().annotations.at(kHpc), "true");

  expect_error(resolve_container_config(spec, sandbox(Isolation::hyperv, {{kHpc, "true"}}), windows()),
               Errc::failed_precondition,
               "container web asks for isolation hostprocess, which runs on the host, but sandbox pod1 is hyperv; to "
               "run a HostProcess container inside its VM set annotation microsoft.com/hostprocess-container=true and "
               "leave isolation unset or hyperv");
  spec.annotations[kHpc] = "false";
  expect_error(resolve_container_config(spec, std::nullopt, windows()), Errc::invalid_argument,
               "isolation \"hostprocess\" contradicts annotations[\"microsoft.com/hostprocess-container\"] \"false\"; "
               "drop one of them");
}

TEST(HostProcessRules, ContainerIsolationMustMatchItsSandbox) {
  ContainerSpec spec = container();
  spec.isolation = Isolation::hyperv;
  expect_error(resolve_container_config(spec, sandbox(Isolation::process), windows()), Errc::failed_precondition,
               "container web asks for isolation hyperv but sandbox pod1 is process; a container takes its "
               "sandbox's isolation");
  spec.isolation.reset();
  auto inherited = resolve_container_config(spec, sandbox(Isolation::hyperv), windows());
  ASSERT_TRUE(inherited);
  EXPECT_EQ(inherited.value().isolation, Isolation::hyperv);
}

TEST(HostProcessRules, HostProcessContainersCannotMountNamedPipes) {
  ContainerSpec spec = container({{kHpc, "true"}});
  spec.mounts = {{"C:\\data", "C:\\data", false}, {"\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false}};
  expect_error(resolve_container_config(spec, std::nullopt, windows()), Errc::invalid_argument,
               "mounts[1]: container web is a HostProcess container, which cannot mount named pipes; it reaches "
               "\"\\\\.\\pipe\\docker_engine\" on the host directly");
}

}  // namespace
}  // namespace silo
