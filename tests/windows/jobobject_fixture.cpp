#include "tests/windows/jobobject_fixture.h"

#include "core/engine/monitor/monitor_files.h"
#include "core/logs/log_reader.h"
#include "core/platform/atomic_file.h"

#include <windows.h>

namespace silo::engine::jobobject::testing {

void JobObjectTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  root_ = std::filesystem::temp_directory_path() /
          ("silo-jobobject-" + std::to_string(GetCurrentProcessId()) + "-" + info->name());
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
  std::filesystem::create_directories(root_);
  backend_ = std::make_unique<JobObjectBackend>(JobObjectOptions{default_monitor_path(), std::chrono::milliseconds(60000)});
  backend_->set_exit_sink(exits_.sink());
}

void JobObjectTest::TearDown() {
  for (const auto& handle : handles_) {
    (void)backend_->terminate(handle);
  }
  backend_.reset();
  // The monitors end shortly after their jobs; remove() needs them gone.
  JobObjectBackend cleaner({default_monitor_path(), std::chrono::milliseconds(60000)});
  for (const auto& handle : handles_) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto removed = cleaner.remove(handle);
      if (removed || removed.error().code != Errc::failed_precondition) break;
      Sleep(100);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

LaunchRequest JobObjectTest::request(const std::string& id, std::vector<std::string> command) const {
  LaunchRequest request;
  request.container_id = id;
  request.spec.command = std::move(command);
  request.config.isolation = Isolation::hostprocess;
  request.config.hostprocess = true;
  request.config.inherit_user = true;
  request.config.rootfs_location = (root_ / "hpc").string();
  request.state_dir = root_ / "containers" / id;
  return request;
}

BackendHandle JobObjectTest::run(const LaunchRequest& request) {
  auto created = backend_->create(request);
  EXPECT_TRUE(created) << created.error().message;
  if (!created) return {};
  handles_.push_back(*created);
  auto started = backend_->start(request, *created);
  EXPECT_TRUE(started) << started.error().message;
  if (!started) return *created;
  handles_.back() = *started;
  return *started;
}

std::string JobObjectTest::log_text(const std::filesystem::path& state_dir) const {
  auto entries = logs::read_logs(state_dir, {});
  std::string text;
  if (!entries) return "(no log: " + entries.error().message + ")";
  for (const auto& entry : *entries) text += entry.stream + ": " + entry.text;
  return text;
}

std::string JobObjectTest::monitor_output(const std::filesystem::path& state_dir) const {
  auto text = platform::read_small_file(state_dir / monitor::kMonitorOutputFileName);
  return text ? *text : "(nothing: " + text.error().message + ")";
}

}  // namespace silo::engine::jobobject::testing
