// Mount sources held from the access check to the mount (core/services/host_paths.h): what is
// checked is what is mounted, even when the path is swapped for a symlink in between, and nothing
// staged ever deletes host files on its way out. Staging bind mounts, so these need root (CI runs
// as root).
#include "core/services/host_paths.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/mount.h>
#include <unistd.h>

namespace silo::services {
namespace {

namespace fs = std::filesystem;

class HeldSources : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "staging bind mounts; needs root";
    char pattern[] = "/tmp/silo-held-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "data");
    std::ofstream(dir_ / "data" / "original") << "checked";
    fs::create_directories(dir_ / "elsewhere");
    std::ofstream(dir_ / "elsewhere" / "secret") << "never mounted";
  }
  void TearDown() override {
    if (dir_.empty()) return;
    ::umount2((dir_ / "staging" / "leftover").c_str(), MNT_DETACH);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

TEST_F(HeldSources, WhatIsCheckedIsWhatIsMountedThoughThePathIsSwapped) {
  const std::string source = (dir_ / "data").string();
  std::vector<MountSpec> mounts = {{source, "/data", false}};
  {
    auto held = HeldMountSources::hold(mounts);
    // The swap: the checked folder moves away and a symlink to another takes its name.
    fs::rename(dir_ / "data", dir_ / "moved");
    fs::create_directory_symlink(dir_ / "elsewhere", dir_ / "data");
    EXPECT_EQ(held.resolver()(source).value(), source) << "the check sees where the held folder was when held";
    EXPECT_EQ(resolve_host_path(source).value(), (dir_ / "elsewhere").string()) << "the path itself points away";

    ASSERT_TRUE(held.use_in(mounts, dir_ / "staging", "c1"));
    ASSERT_EQ(mounts[0].source, (dir_ / "staging" / "c1-0").string());
    EXPECT_TRUE(fs::exists(fs::path(mounts[0].source) / "original")) << "the staged source is the held folder";
    EXPECT_FALSE(fs::exists(fs::path(mounts[0].source) / "secret"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "staging" / "c1-0")) << "the stage outlived the start";
  EXPECT_TRUE(fs::exists(dir_ / "moved" / "original")) << "unstaging touched the host folder";
}

TEST_F(HeldSources, ASourceThatCannotBeOpenedIsReportedAndLeftAsItIs) {
  std::vector<MountSpec> mounts = {{(dir_ / "missing").string(), "/m", false},
                                   {"\\\\.\\pipe\\p", "\\\\.\\pipe\\p", false}};
  auto held = HeldMountSources::hold(mounts);
  auto resolved = held.resolver()(mounts[0].source);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error().code, Errc::not_found);
  ASSERT_TRUE(held.use_in(mounts, dir_ / "staging", "c2"));
  EXPECT_EQ(mounts[0].source, (dir_ / "missing").string());
  EXPECT_EQ(mounts[1].source, "\\\\.\\pipe\\p");
}

// What a crash left staged is cleared at startup by unmounting, never by deleting through it.
TEST_F(HeldSources, ClearingLeftoversNeverDeletesThroughAStage) {
  const fs::path leftover = dir_ / "staging" / "leftover";
  fs::create_directories(leftover);
  ASSERT_EQ(::mount((dir_ / "data").c_str(), leftover.c_str(), nullptr, MS_BIND, nullptr), 0);
  platform::PinnedHostPath::clear_staging(dir_ / "staging");
  EXPECT_FALSE(fs::exists(leftover));
  EXPECT_TRUE(fs::exists(dir_ / "data" / "original"));
}

}  // namespace
}  // namespace silo::services
