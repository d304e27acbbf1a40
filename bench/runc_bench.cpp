// Process isolation's cost on a container's create-start-exit path: /bin/true in a busybox root
// file system, sequentially, three ways in the same run:
//   runc       `runc run` of a ready bundle (overlay mounted once, config.json written once): the
//              runtime alone
//   runc+root  per container: mkdir upper/work, mount the overlay of the layer, `runc run`, unmount,
//              remove: the least any overlay-based daemon must do
//   api        POST /v1/containers (isolation process, the same layer), POST .../start,
//              POST .../wait through a real silod over its unix socket (removal happens after the
//              clock stops, so it is in no figure)
// The bundles use silo's own config.json builder (core/engine/runc/oci_spec.h) with new network,
// ipc and uts namespaces, which is what an implicit sandbox's holder gives the API's containers.
//
// Needs root, runc and busybox-static; without them it says so and exits 0 (a benchmark, not a test).
// Usage: runc_bench [ops-per-config] [seconds-per-config]   (defaults 50 and 60)
#include "bench/bench_support.h"
#include "core/engine/runc/oci_spec.h"
#include "core/engine/runc/overlay_mount.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>

namespace {

namespace fs = std::filesystem;
using silo::bench::die;
using silo::bench::Samples;
using SteadyClock = std::chrono::steady_clock;
using nlohmann::json;

const char* const kRuncPath = "/usr/sbin/runc";

Samples measure(long total, int seconds, const std::function<void(long)>& op) {
  Samples samples;
  const auto started = SteadyClock::now();
  const auto deadline = started + std::chrono::seconds(seconds);
  for (long i = 0; i < total && SteadyClock::now() < deadline; ++i) {
    const auto begin = SteadyClock::now();
    op(i);
    samples.us.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - begin).count());
  }
  samples.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return samples;
}

void build_rootfs(const fs::path& root) {
  fs::create_directories(root / "bin");
  fs::copy_file("/bin/busybox", root / "bin" / "busybox");
  for (const char* applet : {"sh", "true"}) fs::create_symlink("busybox", root / "bin" / applet);
}

int run_quiet(const std::vector<std::string>& argv) {
  const pid_t pid = ::fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// config.json as silo writes it, but with namespaces of its own (no sandbox holder to join).
void write_config(const fs::path& bundle, const fs::path& rootfs) {
  silo::engine::runc::BundleSettings settings;
  settings.rootfs = rootfs;
  settings.args = {"/bin/true"};
  settings.env = {"PATH=/bin"};
  settings.cgroups_path = "/silo-runc-bench/" + bundle.filename().string();
  auto config = silo::engine::runc::build_oci_config(settings);
  config["linux"]["namespaces"] = json::array({{{"type", "pid"}}, {{"type", "mount"}}, {{"type", "network"}}, {{"type", "ipc"}}, {{"type", "uts"}}});
  config["hostname"] = "bench";
  std::ofstream(bundle / "config.json") << config.dump(2);
}

void runc_run(const fs::path& state, const fs::path& bundle, const std::string& id) {
  if (run_quiet({kRuncPath, "--root", state.string(), "run", "--bundle", bundle.string(), id}) != 0) die("runc run " + id + " failed");
}

void mount_root(const fs::path& layer, const fs::path& dir) {
  for (const char* sub : {"upper", "work", "bundle/rootfs"}) fs::create_directories(dir / sub);
  auto mounted = silo::engine::runc::mount_overlay({{layer}, dir / "upper", dir / "work", dir / "bundle" / "rootfs"});
  if (!mounted) die(mounted.error().message);
}

void print_row(const char* mode, Samples& s, double runc_rate, double root_rate) {
  std::printf("%-10s | %5zu | %8.1f %8.2f %8.2f | %7.2f %9.2f\n", mode, s.us.size(), s.per_second(), s.percentile(0.50) / 1000,
              s.percentile(0.99) / 1000, runc_rate / s.per_second(), root_rate / s.per_second());
}

std::string silod_path() {
  const char* override_path = std::getenv("SILO_BENCH_SILOD");
  return override_path != nullptr ? override_path : SILO_SILOD_PATH;
}

}  // namespace

int main(int argc, char** argv) {
  silo::bench::set_program_name("runc_bench");
  const long total = argc > 1 ? std::atol(argv[1]) : 50;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 60;
  if (::geteuid() != 0 || ::access(kRuncPath, X_OK) != 0 || ::access("/bin/busybox", X_OK) != 0) {
    std::printf("runc_bench: needs root, %s and /bin/busybox (scripts/install-deps.sh); not measured\n", kRuncPath);
    return 0;
  }
  char pattern[] = "/tmp/silo-runc-bench-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) die("mkdtemp failed");
  const fs::path dir = pattern;
  build_rootfs(dir / "layer");
  if (run_quiet({"/bin/tar", "-C", (dir / "layer").string(), "-cf", (dir / "layer.tar").string(), "."}) != 0) die("tar failed");
  {
    silo::bench::SilodProcess silod(silod_path(), dir / "silod");
    auto info = json::parse(silo::bench::request(silod.socket(), "GET", "/v1/info").body);
    if (!info["isolation"]["process"]["available"].get<bool>()) {
      std::printf("runc_bench: process isolation unavailable in silod (%s); not measured\n",
                  info["isolation"]["process"]["reason"].get<std::string>().c_str());
      return 0;
    }
    auto imported = silo::bench::upload_file(silod.socket(), "/v1/layers", dir / "layer.tar", "application/x-tar");
    const std::string layer = json::parse(imported.body)["id"].get<std::string>();

    // runc alone: one ready bundle, run again and again.
    mount_root(dir / "layer", dir / "ready");
    write_config(dir / "ready" / "bundle", dir / "ready" / "bundle" / "rootfs");
    auto bare = measure(total, seconds, [&](long i) { runc_run(dir / "runc-state", dir / "ready" / "bundle", "ready-" + std::to_string(i)); });
    (void)silo::engine::runc::unmount(dir / "ready" / "bundle" / "rootfs");

    // runc with a fresh overlay root per container.
    auto rooted = measure(total, seconds, [&](long i) {
      const auto c = dir / ("c" + std::to_string(i));
      mount_root(dir / "layer", c);
      write_config(c / "bundle", c / "bundle" / "rootfs");
      runc_run(dir / "runc-state", c / "bundle", "c" + std::to_string(i));
      (void)silo::engine::runc::unmount(c / "bundle" / "rootfs");
      fs::remove_all(c);
    });

    std::vector<std::string> ids;
    auto api = measure(total, seconds, [&](long) {
      const json spec = {{"command", {"/bin/true"}}, {"isolation", "process"}, {"layer", layer}};
      auto created = silo::bench::request(silod.socket(), "POST", "/v1/containers", spec.dump());
      if (created.status != 201) die("create: " + created.body);
      const std::string id = json::parse(created.body)["id"].get<std::string>();
      ids.push_back(id);
      auto started = silo::bench::request(silod.socket(), "POST", "/v1/containers/" + id + "/start");
      if (started.status != 200) die("start: " + started.body);
      auto waited = silo::bench::request(silod.socket(), "POST", "/v1/containers/" + id + "/wait?condition=not-running");
      if (waited.status != 200 || json::parse(waited.body)["exitCode"] != 0) die("wait: " + waited.body);
    });
    for (const auto& id : ids) silo::bench::request(silod.socket(), "DELETE", "/v1/containers/" + id + "?force=true");

    std::printf("runc_bench: /bin/true in a busybox root to completion, sequential, %ld ops or %d s per config; %s\n\n", total,
                seconds, silo::bench::load_average().c_str());
    std::printf("%-10s | %5s | %8s %8s %8s | %7s %9s\n", "mode", "ops", "ops/s", "p50 ms", "p99 ms", "runc/x", "runc+root/x");
    const double bare_rate = bare.per_second();
    const double root_rate = rooted.per_second();
    print_row("runc", bare, bare_rate, root_rate);
    print_row("runc+root", rooted, bare_rate, root_rate);
    print_row("api", api, bare_rate, root_rate);
    std::printf("\nrunc/x, runc+root/x = that baseline's ops/s divided by this row's (how many times slower)\n");
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  // runc removes each container's group; the bench's parent group in each hierarchy goes here.
  for (const auto& hierarchy : fs::directory_iterator("/sys/fs/cgroup", ec)) {
    fs::remove(hierarchy.path() / "silo-runc-bench", ec);
  }
  return 0;
}
