// The host-access rule (core/model/host_access.h): which containers only an admin may create and
// act on, each case asserting the refusal a user would read.
#include "core/model/host_access.h"

#include <gtest/gtest.h>

#include <map>

namespace silo {
namespace {

const Identity kOperator{"uid 1000", Role::operator_};
const Identity kAdmin{"uid 0", Role::admin};

// A host whose symlinks are a table: /srv/data/etc-link points at /etc.
ResolveHostPath host(std::map<std::string, std::string> links = {}) {
  return [links = std::move(links)](const std::string& path) -> Result<std::string> {
    if (path.find("missing") != std::string::npos) return make_error(Errc::not_found, "\"" + path + "\": no such file");
    auto link = links.find(path);
    return link == links.end() ? path : link->second;
  };
}

HostAccessPolicy roots(std::vector<std::string> list) {
  return HostAccessPolicy{std::move(list)};
}

std::vector<MountSpec> mount(const std::string& source) {
  return {{source, "/data", false}};
}

TEST(HostAccess, WithoutRootsEveryHostPathNeedsAdmin) {
  auto reach = mounts_reaching_host(mount("/srv/data"), {}, host());
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach,
            "mounts[0].source \"/srv/data\" resolves to \"/srv/data\", outside operator-mount-roots (none configured)");
  auto refused = check_host_access(kOperator, "create container web", reach);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::permission_denied);
  EXPECT_EQ(refused.error().message,
            "role operator (uid 1000) may not create container web: mounts[0].source \"/srv/data\" resolves to "
            "\"/srv/data\", outside operator-mount-roots (none configured); needs admin");
  EXPECT_TRUE(check_host_access(kAdmin, "create container web", reach));
}

TEST(HostAccess, AMountUnderARootIsAnOperatorsToUse) {
  auto policy = roots({"/srv/data", "/var/cache/builds"});
  EXPECT_FALSE(mounts_reaching_host(mount("/srv/data"), policy, host()));
  EXPECT_FALSE(mounts_reaching_host(mount("/srv/data/app/logs"), policy, host()));
  EXPECT_FALSE(mounts_reaching_host(mount("/var/cache/builds/x"), policy, host()));
  EXPECT_TRUE(check_host_access(kOperator, "create container web", std::nullopt));
}

TEST(HostAccess, APrefixThatIsNotAFolderBoundaryIsOutside) {
  auto reach = mounts_reaching_host(mount("/srv/database"), roots({"/srv/data"}), host());
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach,
            "mounts[0].source \"/srv/database\" resolves to \"/srv/database\", outside operator-mount-roots "
            "(/srv/data)");
}

TEST(HostAccess, ASymlinkUnderARootIsJudgedByWhereItPoints) {
  auto reach =
      mounts_reaching_host(mount("/srv/data/etc-link"), roots({"/srv/data"}), host({{"/srv/data/etc-link", "/etc"}}));
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach,
            "mounts[0].source \"/srv/data/etc-link\" resolves to \"/etc\", outside operator-mount-roots "
            "(/srv/data)");
}

TEST(HostAccess, ASourceThatCannotBeResolvedIsNotAllowed) {
  auto reach = mounts_reaching_host(mount("/srv/data/missing"), roots({"/srv/data"}), host());
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach,
            "mounts[0].source \"/srv/data/missing\" cannot be resolved on the host (\"/srv/data/missing\": "
            "no such file), so it is not known to be under operator-mount-roots (/srv/data)");
}

TEST(HostAccess, ASourceThatNoLongerExistsReachesNothingWhenTheContainerIsOnlyManaged) {
  EXPECT_FALSE(mounts_reaching_host(mount("/srv/data/missing"), roots({"/srv/data"}), host(), ReachFor::managing));
  EXPECT_TRUE(mounts_reaching_host(mount("/etc"), roots({"/srv/data"}), host(), ReachFor::managing));
  EXPECT_TRUE(mounts_reaching_host(mount("/srv/data/missing"), roots({"/srv/data"}), host(), ReachFor::running));
}

TEST(HostAccess, NamedPipesAreHostObjects) {
  std::vector<MountSpec> mounts = {{"C:\\data", "C:\\data", false},
                                   {"\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", false}};
  auto reach = mounts_reaching_host(mounts, roots({"C:\\data"}), host());
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach,
            "mounts[1].source \"\\\\.\\pipe\\docker_engine\" is a named pipe, a host object outside any container");
}

TEST(HostAccess, WindowsRootsCompareWithoutCase) {
  EXPECT_FALSE(mounts_reaching_host(mount("c:\\Data\\app"), roots({"C:\\data"}), host()));
  EXPECT_TRUE(mounts_reaching_host(mount("C:\\Windows"), roots({"C:\\data"}), host()));
}

TEST(HostAccess, AHostProcessContainerNeedsAdminWhateverItMounts) {
  auto reach = container_reaching_host(true, ContainerSpec{}, roots({"/srv/data"}), host());
  ASSERT_TRUE(reach);
  auto refused = check_host_access(kOperator, "create container agent", reach);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "role operator (uid 1000) may not create container agent: it is a HostProcess "
            "container, which runs with host privileges; needs admin");
  EXPECT_FALSE(container_reaching_host(false, ContainerSpec{}, {}, host()));
}

TEST(HostAccess, RunningWithoutTheSystemCallFilterNeedsAdmin) {
  ContainerSpec spec;
  spec.seccomp = SeccompProfile::unconfined;
  auto reach = container_reaching_host(false, spec, {}, host());
  ASSERT_TRUE(reach);
  EXPECT_EQ(*reach, "seccomp \"unconfined\" runs it without the default system call filter");
  EXPECT_TRUE(check_host_access(kAdmin, "create container web", reach));
  EXPECT_FALSE(check_host_access(kOperator, "create container web", reach));
}

}  // namespace
}  // namespace silo
