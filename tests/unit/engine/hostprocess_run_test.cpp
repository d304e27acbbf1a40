// Running a HostProcess container: exit codes, logs, user, rootfs, mounts, exec, bad input.
#include "hostprocess_fixture.h"

#include <signal.h>

#include <fstream>

namespace silo::engine::hostprocess::testing {
namespace {

TEST_F(HostProcessTest, ExitCodeAndBothStreamsReachTheLog) {
  SystemClock clock;
  const TimeNs before = clock.now();
  auto req = request({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  run(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_FALSE(exit->signal);
  EXPECT_FALSE(exit->oom_killed);
  EXPECT_EQ(exit->reason, "exited with code 3");
  EXPECT_GE(exit->finished_at, before);

  auto entries = logs::read_logs(req.state_dir, {});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2U);
  std::map<std::string, std::string> by_stream;
  for (const auto& entry : *entries) {
    by_stream[entry.stream] = entry.text;
    EXPECT_GE(entry.time, before);
    EXPECT_LE(entry.time, clock.now());
  }
  EXPECT_EQ(by_stream["stdout"], "out\n");
  EXPECT_EQ(by_stream["stderr"], "err\n");
}

TEST_F(HostProcessTest, RunsAsTheUserNamedOrNumbered) {
  for (const std::string user : {"nobody", "65534"}) {
    auto req = request({"/bin/sh", "-c", "id -u; id -g"});
    req.config.user = user;
    run(req);
    ASSERT_TRUE(exits_.wait(req.container_id)) << user;
    EXPECT_EQ(log_text(req.state_dir), "65534\n65534\n") << user;
  }
}

TEST_F(HostProcessTest, InheritUserRunsAsTheDaemonsAccount) {
  auto req = request({"/bin/sh", "-c", "id -u"});
  req.config.inherit_user = true;
  req.config.user = "nobody";  // inherit wins, as in hcsshim
  run(req);
  ASSERT_TRUE(exits_.wait(req.container_id));
  EXPECT_EQ(log_text(req.state_dir), std::to_string(::geteuid()) + "\n");
}

TEST_F(HostProcessTest, WorkingRootIsTheRootfsLocationExportedAsSandboxMountPoint) {
  auto req = request({"/bin/sh", "-c", "echo \"$CONTAINER_SANDBOX_MOUNT_POINT\"; pwd"});
  req.config.user = "nobody";
  run(req);
  ASSERT_TRUE(exits_.wait(req.container_id));
  const auto& root = *req.config.rootfs_location;
  EXPECT_EQ(log_text(req.state_dir), root + "\n" + root + "\n");
}

TEST_F(HostProcessTest, VolumeMountsAppearUnderTheRootAndReadOnlyIsEnforced) {
  const auto source = temp_ / "volume";
  std::filesystem::create_directories(source);
  std::ofstream(source / "hello.txt") << "hello from the host\n";
  auto req = request({"/bin/sh", "-c",
                      "cat \"$CONTAINER_SANDBOX_MOUNT_POINT/data/hello.txt\"; "
                      "touch \"$CONTAINER_SANDBOX_MOUNT_POINT/ro/x\" 2>/dev/null && echo writable || echo read-only"});
  req.spec.mounts = {{source.string(), "/data", false}, {source.string(), "/ro", true}};
  run(req);
  auto exit = exits_.wait(req.container_id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(log_text(req.state_dir, "stdout"), "hello from the host\nread-only\n");
  // The bind lived only in the container's mount namespace: the host sees an empty mount point.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(*req.config.rootfs_location) / "data" / "hello.txt"));
}

TEST_F(HostProcessTest, ExecRunsInTheContainerWithItsEnvironmentAndOwnLog) {
  auto req = request(wait_for_go_command());
  auto handle = run(req);
  ExecRequest exec;
  exec.exec_id = "e1";
  exec.command = {"/bin/sh", "-c", "echo \"$CONTAINER_SANDBOX_MOUNT_POINT\" \"$EXTRA\"; exit 4"};
  exec.env = {"EXTRA=yes"};
  exec.state_dir = req.state_dir / "exec" / "e1";
  auto started = backend_->exec(handle, exec);
  ASSERT_TRUE(started) << started.error().message;
  auto exit = exits_.wait(req.container_id, "e1");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 4);
  EXPECT_EQ(log_text(exec.state_dir), *req.config.rootfs_location + " yes\n");
  release(req);
  auto main_exit = exits_.wait(req.container_id);
  ASSERT_TRUE(main_exit);
  EXPECT_EQ(main_exit->exit_code, 7);
}

TEST_F(HostProcessTest, SignalStopsTheMainProcessAndTerminateEndsEverything) {
  auto stoppable = request({"/bin/sleep", "300"});
  auto handle = run(stoppable);
  ASSERT_TRUE(backend_->signal(handle, SIGTERM));
  auto exit = exits_.wait(stoppable.container_id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->signal, SIGTERM);
  EXPECT_EQ(exit->exit_code, 128 + SIGTERM);
  EXPECT_EQ(exit->reason, "killed by SIGTERM");

  auto stubborn = request({"/bin/sh", "-c", "trap '' TERM; sleep 300 & sleep 300"});
  auto stubborn_handle = run(stubborn);
  ASSERT_TRUE(backend_->terminate(stubborn_handle));
  auto killed = exits_.wait(stubborn.container_id);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->signal, SIGKILL);
  EXPECT_EQ(killed->exit_code, 137);
}

TEST_F(HostProcessTest, AStartThatCannotExecSaysWhy) {
  auto req = request({"/nonexistent/program"});
  auto created = backend_->create(req);
  ASSERT_TRUE(created);
  created_.emplace_back(*created, req.container_id);
  auto started = backend_->start(req, *created);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::invalid_argument);
  EXPECT_NE(started.error().message.find("/nonexistent/program"), std::string::npos) << started.error().message;
}

void expect_nothing_left(const std::string& cgroup_parent, const LaunchRequest& req) {
  EXPECT_FALSE(std::filesystem::exists(req.state_dir));
  EXPECT_FALSE(std::filesystem::exists(*req.config.rootfs_location));
  auto parent = platform::prepare_cgroup_parent(cgroup_parent);
  ASSERT_TRUE(parent);
  EXPECT_FALSE(platform::cgroup_exists(parent->child(req.container_id)));
}

TEST_F(HostProcessTest, UnknownUserIsRejectedAndLeavesNothingBehind) {
  auto req = request({"/bin/true"});
  req.config.user = "no-such-user-xyz";
  auto created = backend_->create(req);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::invalid_argument);
  EXPECT_NE(created.error().message.find("no-such-user-xyz"), std::string::npos);
  expect_nothing_left(cgroup_parent_, req);
}

TEST_F(HostProcessTest, MissingMountSourceIsRejectedAndLeavesNothingBehind) {
  auto req = request({"/bin/true"});
  req.spec.mounts = {{(temp_ / "missing").string(), "/data", false}};
  auto created = backend_->create(req);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::invalid_argument);
  EXPECT_NE(created.error().message.find((temp_ / "missing").string()), std::string::npos);
  expect_nothing_left(cgroup_parent_, req);
}

TEST_F(HostProcessTest, RemoveDeletesTheCgroupAndTheFoldersSiloMade) {
  auto req = request({"/bin/true"});
  auto handle = run(req);
  ASSERT_TRUE(exits_.wait(req.container_id));
  EXPECT_TRUE(std::filesystem::exists(req.state_dir));
  auto removed = backend_->remove(handle);
  ASSERT_TRUE(removed) << removed.error().message;
  created_.clear();
  expect_nothing_left(cgroup_parent_, req);
}

}  // namespace
}  // namespace silo::engine::hostprocess::testing
