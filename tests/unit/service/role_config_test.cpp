// The role settings: operator-group and tls-roles from the file and from flags, refused by name
// when they name no role or no group, and turned into the policy silod decides with.
#include "service/access_setup.h"
#include "service/config.h"

#include <gtest/gtest.h>

namespace silo::service {
namespace {

using Mapping = std::vector<std::pair<std::string, std::string>>;

TEST(RoleConfig, TlsRolesComeFromTheFileAsAnObject) {
  DaemonConfig config;
  ASSERT_TRUE(apply_config_json(R"({"tls-roles": {"CN=ci,O=example": "operator", "DNS:dash.example": "read-only"},
                                    "operator-group": "silo-ops"})",
                                "test.json", config));
  EXPECT_EQ(config.operator_group, "silo-ops");
  EXPECT_EQ(config.tls_roles.size(), 2u);
  EXPECT_NE(std::find(config.tls_roles.begin(), config.tls_roles.end(), Mapping::value_type{"CN=ci,O=example", "operator"}),
            config.tls_roles.end());
}

TEST(RoleConfig, TlsRolesFlagsTakeTheRoleAfterTheLastEqualsSign) {
  auto invocation = parse_invocation({"--tls-roles", "CN=ci,O=example=admin", "--tls-roles=DNS:ci.example=operator"});
  ASSERT_TRUE(invocation) << invocation.error().message;
  EXPECT_EQ(invocation->config.tls_roles, (Mapping{{"CN=ci,O=example", "admin"}, {"DNS:ci.example", "operator"}}));
}

TEST(RoleConfig, AnUnknownRoleIsRefusedByName) {
  DaemonConfig config;
  auto refused = apply_config_json(R"({"tls-roles": {"CN=ci": "root"}})", "test.json", config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "config file test.json: tls-roles: \"CN=ci\" maps to \"root\", which is no role; "
                                     "use admin, operator or read-only");
  auto flag = parse_invocation({"--tls-roles", "DNS:ci.example"});
  ASSERT_FALSE(flag);
  EXPECT_NE(flag.error().message.find("SUBJECT_OR_SAN=ROLE"), std::string::npos);
}

TEST(RoleConfig, PolicyLooksUpTheGroupsAndRefusesAMissingOne) {
  DaemonConfig config;
  config.group = "root";
  config.operator_group = "root";
  config.tls_roles = {{"DNS:ci.example", "Operator"}};
  auto policy = role_policy_for(config);
  ASSERT_TRUE(policy) << policy.error().message;
  ASSERT_TRUE(policy->socket_group);
  EXPECT_EQ(policy->socket_group->gid, 0u);
  ASSERT_TRUE(policy->operator_group);
  EXPECT_FALSE(policy->admin_group);
  EXPECT_EQ(policy->tls_roles.at(0).second, Role::operator_);

  config.operator_group = "no-such-group-for-silo";
  auto refused = role_policy_for(config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "operator-group \"no-such-group-for-silo\" is not a group on this host");
}

// pipe-groups are read everywhere (one config file can serve both platforms' parsing) but only the
// Windows named pipe uses them; on Linux a daemon started with them is refused before it creates
// anything, saying what decides access there.
TEST(RoleConfig, PipeGroupsAreParsedAndRefusedOnLinux) {
  auto invocation = parse_invocation({"--pipe-groups", "docker-users", "--pipe-groups=ops"});
  ASSERT_TRUE(invocation) << invocation.error().message;
  EXPECT_EQ(invocation->config.pipe_groups, (std::vector<std::string>{"docker-users", "ops"}));
  DaemonConfig from_file;
  ASSERT_TRUE(apply_config_json(R"({"pipe-groups": ["docker-users"]})", "test.json", from_file));
  EXPECT_EQ(from_file.pipe_groups, std::vector<std::string>{"docker-users"});
  auto wrong = apply_config_json(R"({"pipe-groups": "docker-users"})", "test.json", from_file);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("pipe-groups"), std::string::npos) << wrong.error().message;
  auto refused = role_policy_for(invocation->config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "pipe-groups is for the Windows named pipe; on Linux the socket's group (`group`) and "
                                     "operator-group decide who reaches silod");
}

}  // namespace
}  // namespace silo::service
