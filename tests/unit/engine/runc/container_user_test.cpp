// User names resolve in the container's own /etc/passwd and /etc/group, never the host's.
#include "core/engine/runc/container_user.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace silo::engine::runc {
namespace {

class ContainerUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/silo-user-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
    std::filesystem::create_directories(root_ / "etc");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void write(const std::string& path, const std::string& text) { std::ofstream(root_ / path) << text; }

  std::filesystem::path root_;
};

TEST_F(ContainerUserTest, EmptyIsRoot) {
  auto user = resolve_container_user(root_, "");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->uid, 0u);
  EXPECT_EQ(user->gid, 0u);
}

TEST_F(ContainerUserTest, NamesComeFromTheContainersFiles) {
  write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:555:App:/home/app:/bin/sh\n");
  write("etc/group", "root:x:0:\napps:x:555:\nextra:x:777:app,other\nstaff:x:50:\n");
  auto user = resolve_container_user(root_, "app");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->uid, 1234u);
  EXPECT_EQ(user->gid, 555u);
  EXPECT_EQ(user->home, "/home/app");
  EXPECT_EQ(user->additional_gids, std::vector<unsigned>{777});
  auto with_group = resolve_container_user(root_, "app:staff");
  ASSERT_TRUE(with_group) << with_group.error().message;
  EXPECT_EQ(with_group->gid, 50u);
  auto numeric = resolve_container_user(root_, "1234");
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->name, "app");
  EXPECT_EQ(numeric->gid, 555u);
}

TEST_F(ContainerUserTest, NumericIdsWorkWithoutPasswd) {
  auto user = resolve_container_user(root_, "4000:4001");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->uid, 4000u);
  EXPECT_EQ(user->gid, 4001u);
}

TEST_F(ContainerUserTest, UnknownNamesAreClearErrors) {
  auto user = resolve_container_user(root_, "nobody-here");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, Errc::invalid_argument);
  EXPECT_NE(user.error().message.find("nobody-here"), std::string::npos);
  EXPECT_NE(user.error().message.find("no /etc/passwd"), std::string::npos);
  write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  auto group = resolve_container_user(root_, "root:wheel");
  ASSERT_FALSE(group);
  EXPECT_NE(group.error().message.find("wheel"), std::string::npos);
}

// Links in the layer resolve inside the container's root: an absolute link target is the
// container's file, and `..` stops at the container's root, so no host file is ever read.
TEST_F(ContainerUserTest, LinksResolveInsideTheContainersRoot) {
  write("etc/inner-passwd", "inside:x:7:8::/:/bin/sh\n");
  std::filesystem::create_symlink("/etc/inner-passwd", root_ / "etc" / "passwd");
  auto user = resolve_container_user(root_, "inside");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->uid, 7u);
  // The host's /etc/group names "root"; through this link the container's own (a loop) is all there is.
  std::filesystem::create_symlink("../../../../../../../../etc/group", root_ / "etc" / "group");
  auto group = resolve_container_user(root_, "inside:root");
  EXPECT_FALSE(group);
}

}  // namespace
}  // namespace silo::engine::runc
