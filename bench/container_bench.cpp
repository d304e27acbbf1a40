// The daemon's cost on a container's create-start-exit path, and its memory per container.
//
// Three ways to run /bin/true to completion, sequentially and with 8 at a time, in the same run:
//   raw     fork + exec + waitpid
//   cgroup  mkdir a fresh cgroup (in every hierarchy silod uses: memory, pids, cpu, cpuacct on v1),
//           fork, the child joins it and execs, waitpid, rmdir: what the HostProcess backend must do
//           at the least
//   api     POST /v1/containers (isolation hostprocess), POST .../start, POST .../wait through a
//           real silod over its unix socket, each on a fresh connection (removal is done after the
//           configuration's clock stops, so it is in neither figure)
// Then silod's resident memory (VmRSS) with 0, 100 and 1000 created containers.
//
// Needs root and a cgroup hierarchy it may write (as silod does); without them it says so and
// exits 0: this is a benchmark, not a test.
//
// Usage: container_bench [ops-per-config] [seconds-per-config]   (defaults 300 and 20)
//        SILO_BENCH_SILOD=/path/to/silod overrides the silod this build points at.
#include "bench/bench_support.h"
#include "core/platform/cgroup.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

namespace {

namespace fs = std::filesystem;
using silo::bench::die;
using silo::bench::Samples;
using SteadyClock = std::chrono::steady_clock;
using Op = std::function<void()>;

// `concurrency` threads share a budget of `total` operations and a deadline; each op is timed.
Samples measure(int concurrency, long total, int seconds, const Op& op) {
  std::atomic<long> issued{0};
  const auto deadline = SteadyClock::now() + std::chrono::seconds(seconds);
  std::mutex mutex;
  Samples samples;
  auto started = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      while (issued.fetch_add(1) < total && SteadyClock::now() < deadline) {
        auto begin = SteadyClock::now();
        op();
        double us = std::chrono::duration<double, std::micro>(SteadyClock::now() - begin).count();
        std::lock_guard lock(mutex);
        samples.us.push_back(us);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  samples.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return samples;
}

void wait_child(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    die("/bin/true did not exit 0");
  }
}

void fork_exec_wait() {
  pid_t pid = ::fork();
  if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::execl("/bin/true", "true", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  wait_child(pid);
}

// The cgroup baseline; the paths are built before fork, so the child only opens, writes and execs.
class CgroupRun {
 public:
  explicit CgroupRun(silo::platform::Cgroup parent) : parent_(std::move(parent)) {}

  void operator()() {
    const auto group = parent_.child("b" + std::to_string(next_.fetch_add(1)));
    std::vector<std::string> dirs, procs;
    for (const auto& dir : group.distinct_dirs()) {
      dirs.push_back(dir.string());
      procs.push_back((dir / "cgroup.procs").string());
    }
    for (const auto& dir : dirs) {
      if (::mkdir(dir.c_str(), 0755) != 0) die("mkdir " + dir + ": " + std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      for (const auto& file : procs) {
        int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, "0", 1) != 1) ::_exit(126);
        ::close(fd);
      }
      ::execl("/bin/true", "true", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    wait_child(pid);
    for (auto dir = dirs.rbegin(); dir != dirs.rend(); ++dir) remove_dir(*dir);
  }

 private:
  // The exited task can linger in the group for a moment after waitpid; bounded retries.
  static void remove_dir(const std::string& dir) {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      if (::rmdir(dir.c_str()) == 0) return;
      if (errno != EBUSY) break;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    die("rmdir " + dir + ": " + std::strerror(errno));
  }

  silo::platform::Cgroup parent_;
  std::atomic<long> next_{0};
};

class ApiRun {
 public:
  explicit ApiRun(std::string socket) : socket_(std::move(socket)) {}

  std::string create(const std::string& command) {
    nlohmann::json spec{{"command", {command}}, {"isolation", "hostprocess"}};
    auto created = silo::bench::request(socket_, "POST", "/v1/containers", spec.dump());
    if (created.status != 201) die("create: " + std::to_string(created.status) + " " + created.body);
    std::string id = nlohmann::json::parse(created.body)["id"];
    std::lock_guard lock(mutex_);
    ids_.push_back(id);
    return id;
  }

  void operator()() {
    const std::string id = create("/bin/true");
    auto started = silo::bench::request(socket_, "POST", "/v1/containers/" + id + "/start");
    if (started.status != 200) die("start: " + std::to_string(started.status) + " " + started.body);
    auto waited = silo::bench::request(socket_, "POST", "/v1/containers/" + id + "/wait?condition=not-running");
    if (waited.status != 200 || nlohmann::json::parse(waited.body).value("exitCode", -1) != 0) {
      die("wait: " + std::to_string(waited.status) + " " + waited.body);
    }
  }

  void remove_all() {
    for (const auto& id : ids_) {
      auto removed = silo::bench::request(socket_, "DELETE", "/v1/containers/" + id + "?force=true");
      if (removed.status != 204) die("remove " + id + ": " + std::to_string(removed.status) + " " + removed.body);
    }
    ids_.clear();
  }

  std::size_t count() const { return ids_.size(); }

 private:
  std::string socket_;
  std::mutex mutex_;
  std::vector<std::string> ids_;
};

void print_row(const char* mode, int concurrency, Samples& s, double raw_rate, double cgroup_rate) {
  std::printf("%-7s %5d | %9.1f %9.2f %9.2f | %8.2f %8.2f\n", mode, concurrency, s.per_second(),
              s.percentile(0.50) / 1000, s.percentile(0.99) / 1000, raw_rate / s.per_second(),
              cgroup_rate / s.per_second());
}

void memory_table(const silo::bench::SilodProcess& silod, ApiRun& api) {
  std::printf("\n%-22s | %10s | %s\n", "containers (created)", "VmRSS KiB", "KiB per container over 0");
  const long base = silo::bench::resident_kib(silod.pid());
  for (std::size_t target : {std::size_t{0}, std::size_t{100}, std::size_t{1000}}) {
    for (std::size_t guard = 0; api.count() < target && guard < 1000; ++guard) api.create("/bin/true");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let freed request buffers settle
    const long rss = silo::bench::resident_kib(silod.pid());
    if (target == 0) std::printf("%-22zu | %10ld | %s\n", target, rss, "-");
    else std::printf("%-22zu | %10ld | %.1f\n", target, rss, static_cast<double>(rss - base) / static_cast<double>(target));
  }
  api.remove_all();
}

std::string silod_path() {
  const char* override_path = std::getenv("SILO_BENCH_SILOD");
  return override_path ? override_path : SILO_SILOD_PATH;
}

}  // namespace

int main(int argc, char** argv) {
  silo::bench::set_program_name("container_bench");
  const long total = argc > 1 ? std::atol(argv[1]) : 300;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 20;
  if (::geteuid() != 0) {
    std::printf("container_bench: needs root to create cgroups (as silod does); not measured\n");
    return 0;
  }
  const std::string bench_name = "silo-bench-" + std::to_string(::getpid());
  auto parent = silo::platform::prepare_cgroup_parent(bench_name);
  if (!parent) {
    std::printf("container_bench: no usable cgroup here (%s); not measured\n", parent.error().message.c_str());
    return 0;
  }
  auto dir = fs::temp_directory_path() / bench_name;
  {
    silo::bench::SilodProcess silod(silod_path(), dir);
    auto info = nlohmann::json::parse(silo::bench::request(silod.socket(), "GET", "/v1/info").body);
    auto hostprocess = info["isolation"]["hostprocess"];
    if (!hostprocess.value("available", false)) {
      std::printf("container_bench: hostprocess isolation unavailable in silod (%s); not measured\n",
                  hostprocess.value("reason", "").c_str());
    } else {
      std::printf("container_bench: /bin/true to completion, %ld ops or %d s per config, cgroup %s; %s\n\n", total,
                  seconds, parent->version == silo::platform::CgroupVersion::v1 ? "v1" : "v2",
                  silo::bench::load_average().c_str());
      std::printf("%-7s %5s | %9s %9s %9s | %8s %8s\n", "mode", "conc", "ops/s", "p50 ms", "p99 ms", "raw/x", "cgroup/x");
      CgroupRun cgroup(*parent);
      ApiRun api(silod.socket());
      for (int concurrency : {1, 8}) {
        auto raw = measure(concurrency, total, seconds, fork_exec_wait);
        auto grouped = measure(concurrency, total, seconds, std::ref(cgroup));
        auto through_api = measure(concurrency, total, seconds, std::ref(api));
        api.remove_all();
        print_row("raw", concurrency, raw, raw.per_second(), grouped.per_second());
        print_row("cgroup", concurrency, grouped, raw.per_second(), grouped.per_second());
        print_row("api", concurrency, through_api, raw.per_second(), grouped.per_second());
      }
      std::printf("\nraw/x, cgroup/x = that baseline's ops/s divided by this row's (how many times slower)\n");
      memory_table(silod, api);
    }
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  (void)silo::platform::remove_cgroup(*parent);
  return 0;
}
