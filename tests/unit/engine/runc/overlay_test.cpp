// The container's root: an overlay of the layer chain whose writes land in the upper folder only.
#include "core/engine/runc/overlay_mount.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace silo::engine::runc {
namespace {

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Overlay, OptionsListTheTopLayerFirstAndRefuseWhatTheKernelCannotTake) {
  OverlayPaths paths{{"/l/top", "/l/base"}, "/c/upper", "/c/work", "/c/rootfs"};
  auto options = overlay_options(paths);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(*options, "lowerdir=/l/top:/l/base,upperdir=/c/upper,workdir=/c/work");
  paths.lower = {"/l/a:b"};
  EXPECT_FALSE(overlay_options(paths));
  paths.lower.assign(200, std::filesystem::path("/var/lib/silo/layers/" + std::string(64, 'a')));
  auto too_long = overlay_options(paths);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("200 layers"), std::string::npos);
  EXPECT_FALSE(overlay_options({{}, "/u", "/w", "/t"}));
}

TEST(Overlay, WritesStayInTheUpperFolder) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting an overlay needs root";
  char pattern[] = "/tmp/silo-overlay-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  for (const char* sub : {"base", "top", "upper", "work", "root"}) std::filesystem::create_directories(dir / sub);
  std::ofstream(dir / "base" / "a") << "base-a";
  std::ofstream(dir / "base" / "b") << "base-b";
  std::ofstream(dir / "top" / "a") << "top-a";
  OverlayPaths paths{{dir / "top", dir / "base"}, dir / "upper", dir / "work", dir / "root"};
  auto mounted = mount_overlay(paths);
  ASSERT_TRUE(mounted) << mounted.error().message;
  EXPECT_TRUE(is_mount_point(dir / "root"));
  EXPECT_EQ(read(dir / "root" / "a"), "top-a");
  EXPECT_EQ(read(dir / "root" / "b"), "base-b");
  std::ofstream(dir / "root" / "b") << "changed";
  std::ofstream(dir / "root" / "new") << "new";
  EXPECT_TRUE(unmount(dir / "root"));
  EXPECT_FALSE(is_mount_point(dir / "root"));
  EXPECT_EQ(read(dir / "base" / "b"), "base-b");
  EXPECT_FALSE(std::filesystem::exists(dir / "base" / "new"));
  EXPECT_EQ(read(dir / "upper" / "b"), "changed");
  EXPECT_EQ(read(dir / "upper" / "new"), "new");
  EXPECT_TRUE(unmount(dir / "root"));  // nothing mounted: not an error
  std::filesystem::remove_all(dir);
}

TEST(Overlay, TheProbeMountsAndLeavesNothing) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting an overlay needs root";
  char pattern[] = "/tmp/silo-overlay-probe-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path scratch = std::filesystem::path(pattern) / "probe";
  auto tried = try_overlay(scratch);
  EXPECT_TRUE(tried) << tried.error().message;
  EXPECT_FALSE(std::filesystem::exists(scratch));
  std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace silo::engine::runc
