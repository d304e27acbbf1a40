// Which role each kind of peer gets (api/routes/authorization.h): unix peers by uid and groups,
// TLS peers by explicit mapping, then OU, named-pipe peers by their token.
#include "api/routes/authorization.h"

#include <gtest/gtest.h>

#include <map>

namespace silo::api {
namespace {

constexpr std::uint32_t kAdminGid = 900;
constexpr std::uint32_t kOperatorGid = 901;
constexpr std::uint32_t kSocketGid = 902;

PeerIdentity unix_peer(std::uint32_t uid, std::uint32_t gid) { return {"unix", uid, gid, 4242, {}, {}, {}, {}, {}, false}; }

// Account database of the test: uid -> supplementary groups.
GroupsOf groups(std::map<std::uint32_t, std::vector<std::uint32_t>> table) {
  return [table = std::move(table)](std::uint32_t uid) {
    auto found = table.find(uid);
    return found == table.end() ? std::vector<std::uint32_t>{} : found->second;
  };
}

RolePolicy unix_policy(bool with_operator_group) {
  RolePolicy policy;
  policy.admin_group = LocalGroup{kAdminGid, "silo-admin"};
  if (with_operator_group) policy.operator_group = LocalGroup{kOperatorGid, "silo-operator"};
  policy.socket_group = LocalGroup{kSocketGid, "silo"};
  return policy;
}

PeerIdentity tls_peer(std::string subject, std::vector<std::string> units, std::vector<std::string> sans = {}) {
  PeerIdentity peer;
  peer.transport = "tls";
  peer.remote_address = "192.0.2.7:51234";
  peer.tls_subject = std::move(subject);
  peer.tls_organizational_units = std::move(units);
  peer.tls_subject_alt_names = std::move(sans);
  return peer;
}

Role tls(const PeerIdentity& peer, std::vector<std::pair<std::string, Role>> mapping = {}) {
  RolePolicy policy;
  policy.tls_roles = std::move(mapping);
  auto identity = identity_of(peer, policy, {});
  EXPECT_EQ(identity.name, peer.tls_subject);
  return identity.role;
}

TEST(UnixRoles, RootIsAdminWhateverItsGroups) {
  auto identity = identity_of(unix_peer(0, 0), unix_policy(true), groups({}));
  EXPECT_EQ(identity.role, Role::admin);
  EXPECT_EQ(identity.name, "uid 0");
}

TEST(UnixRoles, AdminGroupByPrimaryOrSupplementaryGroupIsAdmin) {
  EXPECT_EQ(identity_of(unix_peer(1000, kAdminGid), unix_policy(true), groups({})).role, Role::admin);
  EXPECT_EQ(identity_of(unix_peer(1000, 1000), unix_policy(true), groups({{1000, {1000, kAdminGid}}})).role, Role::admin);
}

TEST(UnixRoles, WithAnOperatorGroupOnlyItsMembersAreOperator) {
  auto policy = unix_policy(true);
  EXPECT_EQ(identity_of(unix_peer(1000, 1000), policy, groups({{1000, {kOperatorGid}}})).role, Role::operator_);
  // In the socket group (so it could connect) but not in the operator group: reads only.
  EXPECT_EQ(identity_of(unix_peer(1001, kSocketGid), policy, groups({})).role, Role::read_only);
}

TEST(UnixRoles, WithoutAnOperatorGroupSocketGroupMembersAreOperator) {
  auto policy = unix_policy(false);
  EXPECT_EQ(identity_of(unix_peer(1001, kSocketGid), policy, groups({})).role, Role::operator_);
  EXPECT_EQ(identity_of(unix_peer(1002, 1002), policy, groups({{1002, {kSocketGid}}})).role, Role::operator_);
  // Reached the socket some other way (mode loosened by hand): nothing vouches, reads only.
  EXPECT_EQ(identity_of(unix_peer(65534, 65534), policy, groups({})).role, Role::read_only);
}

TEST(UnixRoles, WithoutAdminGroupOnlyRootIsAdmin) {
  RolePolicy policy;
  policy.socket_group = LocalGroup{kSocketGid, "silo"};
  EXPECT_EQ(identity_of(unix_peer(1000, kAdminGid), policy, groups({})).role, Role::read_only);
}

TEST(UnixRoles, PeerWithoutCredentialsIsReadOnly) {
  PeerIdentity peer;
  peer.transport = "unix";
  auto identity = identity_of(peer, unix_policy(false), groups({}));
  EXPECT_EQ(identity.role, Role::read_only);
  EXPECT_EQ(identity.name, "unix peer without credentials");
}

TEST(TlsRoles, TheFirstOuThatNamesARoleGivesIt) {
  EXPECT_EQ(tls(tls_peer("CN=a,OU=admin", {"admin"})), Role::admin);
  EXPECT_EQ(tls(tls_peer("CN=b,OU=operator", {"operator"})), Role::operator_);
  EXPECT_EQ(tls(tls_peer("CN=c,OU=read-only", {"read-only"})), Role::read_only);
  EXPECT_EQ(tls(tls_peer("CN=d,OU=admin,OU=team-7", {"team-7", "admin"})), Role::admin);
  EXPECT_EQ(tls(tls_peer("CN=e,OU=admin,OU=operator", {"operator", "admin"})), Role::operator_);
  EXPECT_EQ(tls(tls_peer("CN=f,OU=Admin", {"Admin"})), Role::admin);
}

TEST(TlsRoles, UnknownOrAbsentOuIsReadOnly) {
  EXPECT_EQ(tls(tls_peer("CN=a,OU=root", {"root"})), Role::read_only);
  EXPECT_EQ(tls(tls_peer("CN=b,OU=administrators", {"administrators"})), Role::read_only);
  EXPECT_EQ(tls(tls_peer("CN=c", {})), Role::read_only);
}

TEST(TlsRoles, AnExplicitSubjectMappingWinsOverTheOu) {
  auto peer = tls_peer("CN=ci,OU=admin,O=example", {"admin"});
  EXPECT_EQ(tls(peer, {{"CN=ci,OU=admin,O=example", Role::read_only}}), Role::read_only);
  // A subject that merely contains the mapped text does not match.
  EXPECT_EQ(tls(tls_peer("CN=ci2,OU=admin,O=example", {"admin"}), {{"CN=ci,OU=admin,O=example", Role::read_only}}),
            Role::admin);
}

TEST(TlsRoles, SanMappingsWinOverTheOuAndTheLeastRoleOfSeveralApplies) {
  auto peer = tls_peer("CN=ci,OU=admin", {"admin"}, {"DNS:ci.example", "IP:192.0.2.7"});
  EXPECT_EQ(tls(peer, {{"DNS:ci.example", Role::operator_}}), Role::operator_);
  EXPECT_EQ(tls(peer, {{"DNS:ci.example", Role::admin}, {"IP:192.0.2.7", Role::read_only}}), Role::read_only);
  EXPECT_EQ(tls(peer, {{"DNS:other.example", Role::read_only}}), Role::admin);
}

TEST(TlsRoles, ASubjectMappingWinsOverASanMapping) {
  auto peer = tls_peer("CN=ci", {}, {"DNS:ci.example"});
  EXPECT_EQ(tls(peer, {{"DNS:ci.example", Role::read_only}, {"CN=ci", Role::operator_}}), Role::operator_);
}

TEST(TlsRoles, ConfigEntriesMustNameARole) {
  auto parsed = parse_tls_roles({{"DNS:ci.example", "operator"}, {"CN=x", "Admin"}});
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->at(1).second, Role::admin);
  auto refused = parse_tls_roles({{"DNS:ci.example", "root"}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "tls-roles: \"DNS:ci.example\" maps to \"root\", which is no role; use admin, operator or read-only");
}

TEST(PipeRoles, AdministratorsAreAdminAndOtherAdmittedAccountsOperator) {
  PeerIdentity admin;
  admin.transport = "npipe";
  admin.windows_account = "HOST\\alice";
  admin.windows_admin = true;
  auto identity = identity_of(admin, {}, {});
  EXPECT_EQ(identity.role, Role::admin);
  EXPECT_EQ(identity.name, "HOST\\alice");
  PeerIdentity member = admin;
  member.windows_account = "HOST\\bob";
  member.windows_admin = false;
  EXPECT_EQ(identity_of(member, {}, {}).role, Role::operator_);
}

TEST(OtherPeers, PlainTcpIsReadOnly) {
  PeerIdentity peer;
  peer.transport = "tcp";
  peer.remote_address = "127.0.0.1:40000";
  auto identity = identity_of(peer, unix_policy(false), groups({}));
  EXPECT_EQ(identity.role, Role::read_only);
  EXPECT_EQ(identity.name, "tcp peer 127.0.0.1:40000");
}

}  // namespace
}  // namespace silo::api
