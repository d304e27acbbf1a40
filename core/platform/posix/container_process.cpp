#include "core/platform/container_process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace silo::platform {

namespace {

// The child reports the step that failed through a close-on-exec pipe: EOF means exec succeeded.
struct ChildFailure {
  int err = 0;
  char step[200] = {};
};

[[noreturn]] void fail_child(int report_fd, const char* step, int err) {
  ChildFailure failure;
  failure.err = err;
  std::strncpy(failure.step, step, sizeof failure.step - 1);
  (void)!::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

void apply_mounts(const ProcessLaunch& launch, int report_fd) {
  if (launch.mounts.empty()) return;
  if (::unshare(CLONE_NEWNS) != 0) fail_child(report_fd, "unshare the mount namespace", errno);
  // Private first: the binds below must never propagate back to the host's namespace.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail_child(report_fd, "make / private", errno);
  for (const auto& bind : launch.mounts) {
    if (::mount(bind.source.c_str(), bind.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      fail_child(report_fd, "bind mount", errno);
    }
    if (bind.read_only &&
        ::mount(nullptr, bind.target.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, nullptr) != 0) {
      fail_child(report_fd, "make a bind mount read-only", errno);
    }
  }
}

void switch_user(const ProcessLaunch& launch, int report_fd) {
  if (::geteuid() != 0 && launch.uid == ::geteuid() && launch.gid == ::getegid()) return;
  std::vector<gid_t> groups(launch.groups.begin(), launch.groups.end());
  if (::setgroups(groups.size(), groups.data()) != 0) fail_child(report_fd, "set supplementary groups", errno);
  if (::setgid(launch.gid) != 0) fail_child(report_fd, "set gid", errno);
  if (::setuid(launch.uid) != 0) fail_child(report_fd, "set uid", errno);
}

[[noreturn]] void run_child(const ProcessLaunch& launch, char** argv, char** envp, int out, int err, int report_fd,
                            int mount_ns_fd) {
  ::setpgid(0, 0);
  if (launch.cgroup) {
    const std::string pid = std::to_string(::getpid());
    for (const auto& dir : launch.cgroup->distinct_dirs()) {
      const int fd = ::open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 || ::write(fd, pid.data(), pid.size()) < 0) fail_child(report_fd, "join the container's cgroup", errno);
      ::close(fd);
    }
  }
  apply_mounts(launch, report_fd);
  if (mount_ns_fd >= 0 && ::setns(mount_ns_fd, CLONE_NEWNS) != 0) fail_child(report_fd, "join the container's mount namespace", errno);
  switch_user(launch, report_fd);
  if (::chdir(launch.working_dir.c_str()) != 0) fail_child(report_fd, "change to the working directory", errno);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) fail_child(report_fd, "set up stdio", errno);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGCHLD}) ::signal(sig, SIG_DFL);
  environ = envp;  // execvp searches the container's PATH, not the monitor's
  ::execvp(argv[0], argv);
  fail_child(report_fd, "exec", errno);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (const auto& s : strings) result.push_back(const_cast<char*>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

Error failure_error(const ProcessLaunch& launch, const ChildFailure& failure) {
  std::string step = failure.step;
  if (step == "exec") step = "exec \"" + launch.argv.front() + "\"";
  if (step == "change to the working directory") step += " " + launch.working_dir;
  const bool user_error = failure.err == ENOENT || failure.err == EACCES || failure.err == ENOTDIR || failure.err == ENOEXEC;
  return errno_error(user_error ? Errc::invalid_argument : Errc::internal, "cannot start the process: " + step, failure.err);
}

}  // namespace

Result<ChildProcess> launch_process(const ProcessLaunch& launch) {
  if (launch.argv.empty()) return make_error(Errc::invalid_argument, "cannot start the process: empty command");
  int out[2], err[2], report[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return errno_error(Errc::resource_exhausted, "pipe", errno);
  if (::pipe2(err, O_CLOEXEC) != 0) return errno_error(Errc::resource_exhausted, "pipe", errno);
  if (::pipe2(report, O_CLOEXEC) != 0) return errno_error(Errc::resource_exhausted, "pipe", errno);
  int mount_ns_fd = -1;
  if (launch.mount_ns_of) {
    mount_ns_fd = ::open(("/proc/" + std::to_string(launch.mount_ns_of->pid) + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC);
    if (mount_ns_fd < 0 || !process_alive(*launch.mount_ns_of)) {
      return make_error(Errc::failed_precondition, "the container's main process has ended");
    }
  }
  auto argv = c_strings(launch.argv);
  auto envp = c_strings(launch.env);
  const pid_t pid = ::fork();
  if (pid < 0) return errno_error(Errc::resource_exhausted, "fork", errno);
  if (pid == 0) run_child(launch, argv.data(), envp.data(), out[1], err[1], report[1], mount_ns_fd);
  for (int fd : {out[1], err[1], report[1], mount_ns_fd}) {
    if (fd >= 0) ::close(fd);
  }
  ChildFailure failure;
  ssize_t got = 0;
  do {
    got = ::read(report[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got > 0) {
    ::waitpid(pid, nullptr, 0);
    ::close(out[0]);
    ::close(err[0]);
    return failure_error(launch, failure);
  }
  return ChildProcess{pid, out[0], err[0]};
}

}  // namespace silo::platform
