#include "hostprocess_fixture.h"

#include <unistd.h>

#include <chrono>
#include <fstream>

namespace silo::engine::hostprocess::testing {

ExitSink ExitRecorder::sink() {
  return [this](const std::string& container_id, const std::string& exec_id, const ExitStatus& status) {
    std::lock_guard lock(mutex_);
    exits_[{container_id, exec_id}] = status;
    changed_.notify_all();
  };
}

std::optional<ExitStatus> ExitRecorder::wait(const std::string& container_id, const std::string& exec_id, int seconds) {
  std::unique_lock lock(mutex_);
  const auto key = std::make_pair(container_id, exec_id);
  changed_.wait_for(lock, std::chrono::seconds(seconds), [&] { return exits_.count(key) > 0; });
  auto found = exits_.find(key);
  if (found == exits_.end()) return std::nullopt;
  return found->second;
}

void HostProcessTest::SetUp() {
  char pattern[] = "/tmp/silo-engine-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  temp_ = pattern;
  // Like a data root, the folder holding rootfs locations must be traversable by container users.
  std::filesystem::permissions(temp_, std::filesystem::perms(0755));
  cgroup_parent_ = "silo-test-" + std::to_string(::getpid()) + "-" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name();
  backend_ = make_backend();
  const auto availability = backend_->probe();
  if (!availability.available) GTEST_SKIP() << "hostprocess backend unavailable here: " << availability.reason;
}

void HostProcessTest::TearDown() {
  if (backend_) {
    for (const auto& [handle, id] : created_) {
      auto decoded = decode_handle(handle);
      const bool running = decoded && decoded->monitor && platform::process_alive(*decoded->monitor);
      (void)backend_->terminate(handle);
      if (running) exits_.wait(id, "", 10);
      (void)backend_->remove(handle);
    }
  }
  backend_.reset();
  if (auto parent = platform::prepare_cgroup_parent(cgroup_parent_)) {
    (void)platform::remove_cgroup(parent->child("monitors"));
    (void)platform::remove_cgroup(*parent);
  }
  std::error_code ec;
  std::filesystem::remove_all(temp_, ec);
}

std::unique_ptr<HostProcessBackend> HostProcessTest::make_backend() {
  HostProcessOptions options;
  options.monitor_path = SILO_MONITOR_PATH;
  options.cgroup_parent = cgroup_parent_;
  auto backend = std::make_unique<HostProcessBackend>(options);
  backend->set_exit_sink(exits_.sink());
  return backend;
}

LaunchRequest HostProcessTest::request(std::vector<std::string> command) {
  LaunchRequest request;
  request.container_id = "c" + std::to_string(++counter_);
  request.container_name = request.container_id;
  request.spec.command = std::move(command);
  request.config.isolation = Isolation::hostprocess;
  request.config.hostprocess = true;
  request.config.rootfs_location = (temp_ / "hostprocess" / request.container_id).string();
  request.state_dir = temp_ / "containers" / request.container_id;
  return request;
}

BackendHandle HostProcessTest::run(const LaunchRequest& request) {
  auto created = backend_->create(request);
  EXPECT_TRUE(created) << created.error().message;
  if (!created) return {};
  created_.emplace_back(*created, request.container_id);
  auto started = backend_->start(request, *created);
  EXPECT_TRUE(started) << started.error().message;
  if (!started) return *created;
  created_.back().first = *started;
  return *started;
}

std::string HostProcessTest::log_text(const std::filesystem::path& state_dir, const char* stream) {
  logs::LogQuery query;
  if (stream != nullptr) {
    query.include_stdout = std::string(stream) == "stdout";
    query.include_stderr = std::string(stream) == "stderr";
  }
  auto entries = logs::read_logs(state_dir, query);
  std::string text;
  if (!entries) return text;
  for (const auto& entry : *entries) text += entry.text;
  return text;
}

std::vector<std::string> HostProcessTest::wait_for_go_command() {
  return {"/bin/sh", "-c",
          "i=0; while [ ! -e \"$CONTAINER_SANDBOX_MOUNT_POINT/go\" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; "
          "echo done; exit 7"};
}

void HostProcessTest::release(const LaunchRequest& request) {
  std::ofstream(std::filesystem::path(*request.config.rootfs_location) / "go") << "go";
}

}  // namespace silo::engine::hostprocess::testing
