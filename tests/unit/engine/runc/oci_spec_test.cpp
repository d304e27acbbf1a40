// config.json as runc will read it: namespaces, limits, user, mounts and the security defaults.
#include "core/engine/runc/oci_spec.h"

#include <gtest/gtest.h>

namespace silo::engine::runc {
namespace {

using nlohmann::json;

BundleSettings basic() {
  BundleSettings s;
  s.rootfs = "/data/containers/c1/bundle/rootfs";
  s.args = {"sh", "-c", "echo hi"};
  s.env = {"PATH=/bin"};
  s.cgroups_path = "/silo/c1";
  s.sandbox = {"/proc/42/ns/net", "/proc/42/ns/ipc", "/proc/42/ns/uts"};
  return s;
}

json namespace_of(const json& config, const std::string& type) {
  for (const auto& ns : config["linux"]["namespaces"]) {
    if (ns["type"] == type) return ns;
  }
  return nullptr;
}

TEST(OciSpec, OwnPidAndMountNamespacesAndTheSandboxsNetworkIpcAndUts) {
  const auto config = build_oci_config(basic());
  EXPECT_EQ(config["ociVersion"], "1.0.2");
  EXPECT_FALSE(namespace_of(config, "pid").contains("path"));
  EXPECT_FALSE(namespace_of(config, "mount").contains("path"));
  EXPECT_EQ(namespace_of(config, "network")["path"], "/proc/42/ns/net");
  EXPECT_EQ(namespace_of(config, "ipc")["path"], "/proc/42/ns/ipc");
  EXPECT_EQ(namespace_of(config, "uts")["path"], "/proc/42/ns/uts");
  // The hostname belongs to the sandbox's uts namespace; a container setting it would rename its neighbours.
  EXPECT_FALSE(config.contains("hostname"));
  EXPECT_EQ(config["root"]["path"], "/data/containers/c1/bundle/rootfs");
  EXPECT_EQ(config["linux"]["cgroupsPath"], "/silo/c1");
}

TEST(OciSpec, LimitsBecomeLinuxResources) {
  auto s = basic();
  s.resources.memory_bytes = 64 << 20;
  s.resources.pids_limit = 20;
  s.resources.cpu_count = 2;
  const auto resources = build_oci_config(s)["linux"]["resources"];
  EXPECT_EQ(resources["memory"]["limit"], 64 << 20);
  EXPECT_EQ(resources["memory"]["swap"], 64 << 20);
  EXPECT_EQ(resources["pids"]["limit"], 20);
  EXPECT_EQ(resources["cpu"]["quota"], 200000);
  EXPECT_EQ(resources["cpu"]["period"], 100000);
  EXPECT_EQ(resources["devices"][0]["allow"], false);
}

TEST(OciSpec, CpuPercentIsAShareOfEveryCpuAndWeightBecomesShares) {
  auto s = basic();
  s.resources.cpu_percent = 50;
  s.online_cpus = 4;
  EXPECT_EQ(build_oci_config(s)["linux"]["resources"]["cpu"]["quota"], 200000);
  s.resources.cpu_percent.reset();
  s.resources.cpu_weight = 100;
  EXPECT_EQ(build_oci_config(s)["linux"]["resources"]["cpu"]["shares"], shares_from_weight(100));
  EXPECT_EQ(shares_from_weight(1), 2u);
  EXPECT_EQ(shares_from_weight(10000), 262144u);
}

TEST(OciSpec, NoLimitsMeansNoResourceSections) {
  const auto resources = build_oci_config(basic())["linux"]["resources"];
  EXPECT_FALSE(resources.contains("memory"));
  EXPECT_FALSE(resources.contains("cpu"));
  EXPECT_FALSE(resources.contains("pids"));
}

TEST(OciSpec, RootGetsDockersCapabilitiesAndOtherUsersNoneEffective) {
  auto s = basic();
  auto process = build_oci_config(s)["process"];
  EXPECT_EQ(process["capabilities"]["effective"].size(), default_capabilities().size());
  EXPECT_EQ(process["noNewPrivileges"], true);
  EXPECT_EQ(process["terminal"], false);
  EXPECT_EQ(process["args"], json({"sh", "-c", "echo hi"}));
  s.uid = 1000;
  s.gid = 100;
  s.additional_gids = {10, 20};
  process = build_oci_config(s)["process"];
  EXPECT_TRUE(process["capabilities"]["effective"].empty());
  EXPECT_EQ(process["capabilities"]["bounding"].size(), default_capabilities().size());
  EXPECT_EQ(process["user"]["uid"], 1000);
  EXPECT_EQ(process["user"]["gid"], 100);
  EXPECT_EQ(process["user"]["additionalGids"], json({10, 20}));
  const auto& caps = default_capabilities();
  EXPECT_EQ(std::count(caps.begin(), caps.end(), "CAP_SYS_ADMIN"), 0);
}

TEST(OciSpec, BindMountsFollowTheDefaultsAndHonourReadOnly) {
  auto s = basic();
  s.mounts = {{"/srv/data", "/data", true}, {"/srv/cache", "/cache", false}};
  const auto mounts = build_oci_config(s)["mounts"];
  ASSERT_GE(mounts.size(), 3u);
  const auto& data = mounts[mounts.size() - 2];
  EXPECT_EQ(data["destination"], "/data");
  EXPECT_EQ(data["source"], "/srv/data");
  EXPECT_EQ(data["type"], "bind");
  EXPECT_NE(std::find(data["options"].begin(), data["options"].end(), "ro"), data["options"].end());
  const auto& cache = mounts.back();
  EXPECT_EQ(std::find(cache["options"].begin(), cache["options"].end(), "ro"), cache["options"].end());
  EXPECT_EQ(mounts[0]["destination"], "/proc");
}

TEST(OciSpec, ProcAndSysPathsAreMaskedOrReadOnly) {
  const auto config = build_oci_config(basic());
  const auto& masked = config["linux"]["maskedPaths"];
  const auto& readonly = config["linux"]["readonlyPaths"];
  EXPECT_NE(std::find(masked.begin(), masked.end(), "/proc/kcore"), masked.end());
  EXPECT_NE(std::find(readonly.begin(), readonly.end(), "/proc/sys"), readonly.end());
}

// The rules of the filter's syscall list that name `call`.
std::vector<json> rules_for(const json& seccomp, const std::string& call) {
  std::vector<json> rules;
  for (const auto& rule : seccomp["syscalls"]) {
    const auto& names = rule["names"];
    if (std::find(names.begin(), names.end(), call) != names.end()) rules.push_back(rule);
  }
  return rules;
}

TEST(OciSpec, DockersSystemCallFilterDeniesWhatItDoesNotList) {
  const auto config = build_oci_config(basic());
  ASSERT_TRUE(config["linux"].contains("seccomp"));
  const auto& seccomp = config["linux"]["seccomp"];
  EXPECT_EQ(seccomp["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(seccomp["defaultErrnoRet"], 1);  // EPERM
  // What a shell, a web server and a package manager need is there...
  for (const char* allowed : {"read", "write", "openat", "execve", "mmap", "futex", "epoll_wait", "socketpair", "chroot"}) {
    auto rules = rules_for(seccomp, allowed);
    ASSERT_EQ(rules.size(), 1u) << allowed;
    EXPECT_EQ(rules[0]["action"], "SCMP_ACT_ALLOW") << allowed;
    EXPECT_FALSE(rules[0].contains("args")) << allowed;
  }
  // ...and what reaches past the container is not.
  for (const char* denied : {"keyctl", "add_key", "request_key", "unshare", "setns", "mount", "umount2", "pivot_root",
                             "bpf", "perf_event_open", "init_module", "kexec_load", "reboot", "swapon", "open_by_handle_at",
                             "clock_settime", "userfaultfd"}) {
    EXPECT_TRUE(rules_for(seccomp, denied).empty()) << denied << " is allowed";
  }
}

TEST(OciSpec, CloneMayNotMakeNamespacesAndClone3FallsBack) {
  const auto seccomp = build_oci_config(basic())["linux"]["seccomp"];
  auto clone = rules_for(seccomp, "clone");
  ASSERT_EQ(clone.size(), 1u);
  EXPECT_EQ(clone[0]["args"], json::parse(R"([{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}])"));
  auto clone3 = rules_for(seccomp, "clone3");
  ASSERT_EQ(clone3.size(), 1u);
  EXPECT_EQ(clone3[0]["action"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(clone3[0]["errnoRet"], 38);  // ENOSYS: glibc and musl then use clone
  auto sockets = rules_for(seccomp, "socket");
  ASSERT_EQ(sockets.size(), 1u);
  EXPECT_EQ(sockets[0]["args"][0]["op"], "SCMP_CMP_NE");
  EXPECT_EQ(sockets[0]["args"][0]["value"], 40);  // AF_VSOCK: no way to the host's hypervisor sockets
}

TEST(OciSpec, UnconfinedHasNoFilter) {
  auto settings = basic();
  settings.seccomp = false;
  EXPECT_FALSE(build_oci_config(settings)["linux"].contains("seccomp"));
}

}  // namespace
}  // namespace silo::engine::runc
