// siloctl layer import | ls | inspect | rm against a real silod: a root file system built at test
// time from Debian's busybox-static (no downloads), a child layer on it, the parent refused while
// the child exists, and gzip giving the same id as the plain tar.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace silo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kBusybox = "/bin/busybox";

class Layers : public DaemonTest {
 protected:
  void SetUp() override {
    if (!fs::exists(kBusybox)) GTEST_SKIP() << kBusybox << " is missing; scripts/install-deps.sh installs busybox-static";
    DaemonTest::SetUp();
  }

  // tar -cf NAME.tar of a folder holding what `fill` puts there.
  std::string make_tar(const std::string& name, const std::function<void(const fs::path&)>& fill) {
    const fs::path root = fs::path(scratch()) / (name + "-root");
    fs::create_directories(root);
    fill(root);
    const std::string tar = (fs::path(scratch()) / (name + ".tar")).string();
    auto made = run_process({"tar", "--numeric-owner", "-C", root.string(), "-cf", tar, "."});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return tar;
  }

  std::string base_tar() {
    return make_tar("base", [](const fs::path& root) {
      fs::create_directories(root / "bin");
      fs::copy_file(kBusybox, root / "bin" / "busybox");
      fs::create_symlink("busybox", root / "bin" / "sh");
      fs::create_directories(root / "etc");
      std::ofstream(root / "etc" / "os-release") << "NAME=busybox\n";
    });
  }

  // siloctl layer import; the id it prints.
  std::string import(const std::vector<std::string>& args) {
    std::vector<std::string> all{"layer", "import"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = siloctl_here(all);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string id = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(id.size(), 64u) << r.out;
    return id;
  }

  json inspect(const std::string& id) {
    auto r = siloctl_here({"layer", "inspect", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto all = json::parse(r.out, nullptr, false);
    return all.is_array() && all.size() == 1 ? all[0] : json::object();
  }
};

TEST_F(Layers, ImportListInspectAndRemoveAParentChain) {
  const std::string tar = base_tar();
  const std::string base = import({tar});

  auto listed = siloctl_here({"layer", "ls"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("LAYER ID"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(base.substr(0, 12)), std::string::npos) << listed.out;

  auto base_info = inspect(base);
  EXPECT_EQ(base_info["id"], base);
  EXPECT_TRUE(base_info["parent"].is_null());
  EXPECT_GE(base_info["sizeBytes"].get<std::int64_t>(), static_cast<std::int64_t>(fs::file_size(kBusybox)));
  EXPECT_EQ(base_info["chain"], json::array({base}));

  const std::string child_tar = make_tar("child", [](const fs::path& root) {
    fs::create_directories(root / "etc");
    std::ofstream(root / "etc" / "hostname") << "child\n";
  });
  const std::string child = import({"--parent", base.substr(0, 12), child_tar});
  auto child_info = inspect(child);
  EXPECT_EQ(child_info["parent"], base);
  EXPECT_EQ(child_info["chain"], json::array({child, base}));

  // The parent is refused while the child exists: 409 through the API, the message through siloctl.
  auto refused = curl("DELETE", "/v1/layers/" + base).response;
  EXPECT_EQ(refused.status, 409) << refused.body;
  auto refused_cli = siloctl_here({"layer", "rm", base});
  EXPECT_EQ(refused_cli.exit_code, 1);
  EXPECT_NE(refused_cli.err.find("is still used by layer " + child.substr(0, 12)), std::string::npos) << refused_cli.err;
  EXPECT_EQ(inspect(base)["id"], base);

  EXPECT_EQ(siloctl_here({"layer", "rm", child}).exit_code, 0);
  EXPECT_EQ(siloctl_here({"layer", "rm", base}).exit_code, 0);
  auto empty = curl("GET", "/v1/layers").response;
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(json::parse(empty.body), json::array());
  EXPECT_EQ(siloctl_here({"layer", "inspect", base}).exit_code, 1);
}

TEST_F(Layers, GzipAndStdinImportsGiveThePlainTarsId) {
  const std::string tar = base_tar();
  const std::string plain = import({tar});
  auto zipped = run_process({"gzip", "-k", tar});
  ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  EXPECT_EQ(import({tar + ".gz"}), plain);

  // From standard input the length is unknown, so the body goes chunked.
  auto piped = run_process({"sh", "-c", "exec \"$0\" --host \"$1\" layer import - < \"$2\"", SILOCTL_EXECUTABLE,
                            silod().host(), tar + ".gz"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, plain + "\n");
  EXPECT_EQ(json::parse(curl("GET", "/v1/layers").response.body).size(), 1u);
}

TEST_F(Layers, ImportOfAMissingFileOrAnUnknownParentSaysWhy) {
  auto missing = siloctl_here({"layer", "import", scratch() + "/no-such.tar"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no-such.tar"), std::string::npos) << missing.err;

  const std::string tar = base_tar();
  auto orphan = siloctl_here({"layer", "import", "--parent", std::string(64, 'a'), tar});
  EXPECT_EQ(orphan.exit_code, 1);
  EXPECT_NE(orphan.err.find("Error response from daemon"), std::string::npos) << orphan.err;
  EXPECT_EQ(json::parse(curl("GET", "/v1/layers").response.body).size(), 0u);
}

}  // namespace
}  // namespace silo::testing
