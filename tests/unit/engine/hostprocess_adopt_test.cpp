// Restart safety: containers outlive the backend object (silod), and a new one adopts them.
#include "hostprocess_fixture.h"

#include "core/engine/monitor/monitor_files.h"

#include <signal.h>

#include <chrono>
#include <thread>

namespace silo::engine::hostprocess::testing {
namespace {

TEST_F(HostProcessTest, AdoptedRunningContainerReportsItsLaterExit) {
  auto req = request(wait_for_go_command());
  auto handle = run(req);
  backend_.reset();  // silod goes away; the monitor and the container stay
  backend_ = make_backend();
  auto outcome = backend_->adopt(handle);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->running);
  EXPECT_FALSE(outcome->exit);
  release(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 7);
  EXPECT_EQ(log_text(req.state_dir), "done\n");
}

TEST_F(HostProcessTest, ExitWhileNoBackendExistedIsRecordedWithCodeAndTime) {
  auto req = request(wait_for_go_command());
  auto handle = run(req);
  backend_.reset();
  SystemClock clock;
  const TimeNs released_at = clock.now();
  release(req);
  // Wait (bounded) for the monitor to record the exit while no backend watches.
  for (int i = 0; i < 600 && !std::filesystem::exists(req.state_dir / monitor::kExitFileName); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  backend_ = make_backend();
  auto outcome = backend_->adopt(handle);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->running);
  ASSERT_TRUE(outcome->exit);
  EXPECT_EQ(outcome->exit->exit_code, 7);
  EXPECT_GE(outcome->exit->finished_at, released_at);
  EXPECT_EQ(log_text(req.state_dir), "done\n");
}

TEST_F(HostProcessTest, ContainerWhoseMonitorVanishedIsReportedLost) {
  auto req = request(wait_for_go_command());
  auto handle = run(req);
  backend_.reset();
  auto identity = monitor::read_identity(req.state_dir);
  ASSERT_TRUE(identity);
  ASSERT_EQ(::kill(identity->pid, SIGKILL), 0);
  for (int i = 0; i < 600 && platform::process_alive(*identity); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  backend_ = make_backend();
  auto outcome = backend_->adopt(handle);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->running);
  ASSERT_TRUE(outcome->exit);
  EXPECT_EQ(outcome->exit->exit_code, -1);
  EXPECT_NE(outcome->exit->reason.find("lost while silod was down"), std::string::npos);
  ASSERT_TRUE(backend_->terminate(handle));  // the orphaned process still ran in the cgroup
  ASSERT_TRUE(backend_->remove(handle));
  created_.clear();
}

}  // namespace
}  // namespace silo::engine::hostprocess::testing
