// Resource limits enforced by the container's cgroup, and the stats read from it.
#include "hostprocess_fixture.h"

#include <chrono>
#include <thread>

namespace silo::engine::hostprocess::testing {
namespace {

TEST_F(HostProcessTest, MemoryLimitEndsTheContainerAsOutOfMemory) {
  // tail keeps the whole newline-free input in memory: 64 MiB against a 16 MiB limit.
  auto req = request({"/bin/sh", "-c", "head -c 67108864 /dev/zero | tail"});
  req.spec.resources.memory_bytes = 16 * 1024 * 1024;
  run(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->oom_killed);
  EXPECT_EQ(exit->reason, "out of memory");
  EXPECT_NE(exit->exit_code, 0);
}

TEST_F(HostProcessTest, WithoutALimitTheSameProgramIsNotOutOfMemory) {
  auto req = request({"/bin/sh", "-c", "head -c 1048576 /dev/zero | tail | wc -c"});
  run(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  EXPECT_FALSE(exit->oom_killed);
  EXPECT_EQ(exit->exit_code, 0);
}

TEST_F(HostProcessTest, PidsLimitBoundsHowManyProcessesRun) {
  auto req = request({"/bin/sh", "-c", "for i in $(seq 50); do sleep 30 & done; exit 0"});
  req.spec.resources.pids_limit = 10;
  auto handle = run(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  // The shell reports every fork the limit refused on stderr.
  EXPECT_NE(log_text(req.state_dir, "stderr").find("fork"), std::string::npos) << log_text(req.state_dir);
}

TEST_F(HostProcessTest, StatsComeFromTheCgroup) {
  auto req = request({"/bin/sh", "-c",
                      "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo busy-done; "
                      "while [ ! -e \"$CONTAINER_SANDBOX_MOUNT_POINT/go\" ]; do sleep 0.1; done"});
  req.spec.resources.memory_bytes = 64 * 1024 * 1024;
  req.spec.resources.pids_limit = 20;
  auto handle = run(req);
  // Wait (bounded) until the busy loop is over, so the cpu counter has something to show.
  for (int i = 0; i < 300 && log_text(req.state_dir).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(log_text(req.state_dir), "busy-done\n");
  auto stats = backend_->stats(handle);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_GT(stats->cpu_usage_ns, 0U);
  EXPECT_GT(stats->memory_usage_bytes, 0U);
  EXPECT_EQ(stats->memory_limit_bytes, std::optional<std::uint64_t>(64 * 1024 * 1024));
  EXPECT_GE(stats->pids_current, 1U);
  EXPECT_EQ(stats->pids_limit, std::optional<std::uint64_t>(20));
  EXPECT_GT(stats->read_at, 0);
  release(req);
  ASSERT_TRUE(exits_.wait(req.container_id));
}

TEST_F(HostProcessTest, ContainerLogRotationKeepsAtMostMaxFiles) {
  auto req = request({"/bin/sh", "-c", "seq 1 3000"});
  req.spec.log.max_size_bytes = 8192;
  req.spec.log.max_files = 3;
  run(req);
  ASSERT_TRUE(exits_.wait(req.container_id));
  EXPECT_TRUE(std::filesystem::exists(req.state_dir / "container.log.2"));
  EXPECT_FALSE(std::filesystem::exists(req.state_dir / "container.log.3"));
  auto entries = logs::read_logs(req.state_dir, {});
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().text, "3000\n");
  EXPECT_LT(entries->size(), 3000U);
  // Oldest first and contiguous: each line is the previous plus one.
  for (std::size_t i = 1; i < entries->size(); ++i) {
    ASSERT_EQ(std::stoi((*entries)[i].text), std::stoi((*entries)[i - 1].text) + 1);
  }
}

}  // namespace
}  // namespace silo::engine::hostprocess::testing
