// Safe extraction: each hostile archive class is refused without touching anything outside the
// layer folder, and ordinary layers come out with their owners, modes, links and whiteouts.
#include "storage/layers/tar_extract.h"
#include "tests/unit/layers/tar_builder.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace silo::layers {
namespace {

namespace fs = std::filesystem;
using testing::TarBuilder;

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "silo-extract-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    root_ = base_ / "layer";
    outside_ = base_ / "outside";
    fs::create_directories(root_);
    fs::create_directories(outside_);
    std::ofstream(outside_ / "secret") << "original";
  }
  void TearDown() override { fs::remove_all(base_); }

  Result<ExtractSummary> extract(const std::string& tar, ExtractLimits limits = {}) {
    int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY);
    MemorySource source(tar);
    auto result = extract_layer(source, fd, limits);
    ::close(fd);
    return result;
  }
  std::string outside_secret() {
    std::stringstream text;
    text << std::ifstream(outside_ / "secret").rdbuf();
    return text.str();
  }
  // The path from the layer folder to outside/, for links that try to climb there.
  std::string climb() const { return "../outside"; }

  fs::path base_, root_, outside_;
};

TEST_F(ExtractTest, DotDotNameIsRefusedAndWritesNothingOutside) {
  auto result = extract(TarBuilder().file("../outside/secret", "pwned").finish());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(".."), std::string::npos);
  EXPECT_EQ(outside_secret(), "original");
}

TEST_F(ExtractTest, AbsoluteNameIsRefused) {
  auto result = extract(TarBuilder().file((outside_ / "secret").string(), "pwned").finish());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("absolute"), std::string::npos);
  EXPECT_EQ(outside_secret(), "original");
}

TEST_F(ExtractTest, WriteThroughAnAbsoluteSymlinkIsRefused) {
  // CVE-2014-6407 / CVE-2021-32760 class: plant a link, then write "through" it.
  auto tar = TarBuilder().symlink("evil", outside_.string()).file("evil/secret", "pwned").finish();
  auto result = extract(tar);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("symlink"), std::string::npos) << result.error().message;
  EXPECT_EQ(outside_secret(), "original");
}

TEST_F(ExtractTest, WriteThroughEtcSymlinkLeavesHostPasswdUntouched) {
  struct stat before {};
  ASSERT_EQ(::stat("/etc/passwd", &before), 0);
  auto result = extract(TarBuilder().symlink("etc", "/etc").file("etc/passwd", "root::0:0::/:/bin/sh\n").finish());
  ASSERT_FALSE(result);
  struct stat after {};
  ASSERT_EQ(::stat("/etc/passwd", &after), 0);
  EXPECT_EQ(before.st_size, after.st_size);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_EQ(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
}

TEST_F(ExtractTest, RelativeSymlinkClimbingOutIsRefused) {
  auto result = extract(TarBuilder().symlink("a/up", "../../outside").finish());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("climbs out"), std::string::npos);
}

TEST_F(ExtractTest, SymlinkChainEscapeIsRefused) {
  // Each link alone stays inside; following them in turn would leave. Extraction never follows.
  auto tar = TarBuilder().dir("d").symlink("d/one", "..").symlink("two", "d/one").file("two/../outside/secret", "x").finish();
  EXPECT_FALSE(extract(tar));
  auto tar2 = TarBuilder().dir("d").symlink("d/one", "/").symlink("two", "d/one").file("two/tmp/pwned", "x").finish();
  EXPECT_FALSE(extract(tar2));
  EXPECT_FALSE(fs::exists("/tmp/pwned"));
  EXPECT_EQ(outside_secret(), "original");
}

TEST_F(ExtractTest, HardLinkToHostFileIsRefused) {
  // CVE-2014-9356 class: a hard link whose target is a host path.
  auto absolute = extract(TarBuilder().hardlink("shadow", "/etc/shadow").finish());
  ASSERT_FALSE(absolute);
  auto climbing = extract(TarBuilder().hardlink("secret", climb() + "/secret").finish());
  ASSERT_FALSE(climbing);
  EXPECT_FALSE(fs::exists(root_ / "shadow"));
  EXPECT_FALSE(fs::exists(root_ / "secret"));
}

TEST_F(ExtractTest, HardLinkThroughSymlinkIsRefused) {
  auto result = extract(TarBuilder().symlink("out", outside_.string()).hardlink("grab", "out/secret").finish());
  ASSERT_FALSE(result);
  EXPECT_FALSE(fs::exists(root_ / "grab"));
}

TEST_F(ExtractTest, HardLinkToLaterEntryIsRefused) {
  auto result = extract(TarBuilder().hardlink("early", "late").file("late", "x").finish());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not in the layer before it"), std::string::npos);
}

TEST_F(ExtractTest, DeviceNodesAreRefusedNamingTheEntry) {
  auto chr = extract(TarBuilder().add({.name = "dev/mem", .type = '3'}).finish());
  ASSERT_FALSE(chr);
  EXPECT_NE(chr.error().message.find("dev/mem"), std::string::npos);
  EXPECT_NE(chr.error().message.find("character device"), std::string::npos);
  auto blk = extract(TarBuilder().add({.name = "sda", .type = '4'}).finish());
  ASSERT_FALSE(blk);
  EXPECT_NE(blk.error().message.find("block device"), std::string::npos);
}

TEST_F(ExtractTest, SizeClaimOverTheFileLimitIsRefusedBeforeReading) {
  ExtractLimits limits;
  limits.max_file_bytes = 1 << 20;
  auto result = extract(TarBuilder().add({.name = "huge", .data = "", .claimed_size = 100ULL << 30}).finish(), limits);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("max-layer-file-bytes"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "huge"));
}

TEST_F(ExtractTest, StreamAndEntryLimitsAreEnforced) {
  ExtractLimits small;
  small.max_stream_bytes = 4096;
  auto big = extract(TarBuilder().file("a", std::string(8192, 'a')).finish(), small);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("max-layer-bytes"), std::string::npos);
  ExtractLimits few;
  few.max_entries = 2;
  auto many = extract(TarBuilder().file("a", "").file("b", "").file("c", "").finish(), few);
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("max-layer-entries"), std::string::npos);
}

TEST_F(ExtractTest, GzipBombIsStoppedAtTheStreamLimit) {
  ExtractLimits limits;
  limits.max_stream_bytes = 1 << 20;
  auto bomb = testing::gzip(TarBuilder().file("zeros", std::string(16 << 20, '\0')).finish());
  ASSERT_LT(bomb.size(), 100'000u);
  auto result = extract(bomb, limits);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("max-layer-bytes"), std::string::npos);
}

TEST_F(ExtractTest, TruncatedArchiveIsAnError) {
  TarBuilder builder;
  builder.file("a", std::string(4000, 'x'));
  auto result = extract(builder.truncated(1000));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
}

TEST_F(ExtractTest, NotATarIsRefused) {
  auto result = extract(std::string(2048, 'z'));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not a valid tar"), std::string::npos);
}

TEST_F(ExtractTest, OrdinaryLayerKeepsOwnersModesLinksAndTimes) {
  if (::geteuid() != 0) GTEST_SKIP() << "keeping foreign owners needs root, as silod runs";
  auto tar = TarBuilder()
                 .dir("bin")
                 .add({.name = "bin/busybox", .data = "ELF...", .mode = 04755, .uid = 0, .gid = 0, .mtime = 1234567890})
                 .symlink("bin/sh", "/bin/busybox")
                 .hardlink("bin/ls", "bin/busybox")
                 .add({.name = "home/user/notes", .data = "hi", .mode = 0600, .uid = 1000, .gid = 1001})
                 .add({.name = "run/fifo", .type = '6', .mode = 0620})
                 .finish();
  auto result = extract(tar);
  ASSERT_TRUE(result) << result.error().message;
  struct stat st {};
  ASSERT_EQ(::lstat((root_ / "bin/busybox").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1234567890);
  EXPECT_EQ(fs::read_symlink(root_ / "bin/sh"), "/bin/busybox");
  struct stat ls {};
  ASSERT_EQ(::lstat((root_ / "bin/ls").c_str(), &ls), 0);
  EXPECT_EQ(ls.st_ino, st.st_ino);
  ASSERT_EQ(::lstat((root_ / "home/user/notes").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000u);
  EXPECT_EQ(st.st_gid, 1001u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::lstat((root_ / "run/fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(result->content_bytes, 8u);  // busybox (6) + notes (2); the hard link counts once
}

TEST_F(ExtractTest, WhiteoutsBecomeOverlayfsMarkers) {
  if (::geteuid() != 0) GTEST_SKIP() << "overlayfs whiteouts (mknod 0/0, trusted.* xattrs) need root, as silod runs";
  auto tar = TarBuilder()
                 .file("etc/keep", "k")
                 .file("etc/.wh.motd", "")
                 .dir("var/cache")
                 .file("var/cache/.wh..wh..opq", "")
                 .file("var/cache/new", "n")
                 .finish();
  auto result = extract(tar);
  ASSERT_TRUE(result) << result.error().message;
  struct stat st {};
  ASSERT_EQ(::lstat((root_ / "etc/motd").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(fs::exists(root_ / "etc/.wh.motd"));
  char value[4] = {};
  ASSERT_EQ(::getxattr((root_ / "var/cache").c_str(), "trusted.overlay.opaque", value, sizeof value), 1);
  EXPECT_EQ(value[0], 'y');
  EXPECT_FALSE(fs::exists(root_ / "var/cache/.wh..wh..opq"));
  EXPECT_TRUE(fs::exists(root_ / "var/cache/new"));
}

TEST_F(ExtractTest, LaterEntryReplacesEarlierOneWithoutFollowingIt) {
  // A symlink replaced by a file: the file is written in the layer, not through the old link.
  auto tar = TarBuilder().symlink("x", outside_.string() + "/secret").file("x", "mine").finish();
  auto result = extract(tar);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(fs::is_symlink(root_ / "x"));
  EXPECT_EQ(outside_secret(), "original");
}

TEST_F(ExtractTest, LongGnuNamesWork) {
  std::string deep = std::string(120, 'd') + "/" + std::string(50, 'f');
  auto result = extract(TarBuilder().file(deep, "x").finish());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(fs::exists(root_ / deep));
}

}  // namespace
}  // namespace silo::layers
