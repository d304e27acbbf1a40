#include "core/platform/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace silo::platform {

namespace {

// Field 22 of /proc/<pid>/stat, and the state (field 3). The command (field 2) may contain spaces
// and parentheses, so parsing starts after its last ')'.
struct StatFields {
  char state = '?';
  std::uint64_t start_time = 0;
};

Result<StatFields> read_stat(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line)) return make_error(Errc::not_found, "no process with pid " + std::to_string(pid));
  const auto close = line.rfind(')');
  if (close == std::string::npos) return make_error(Errc::internal, "unreadable /proc/" + std::to_string(pid) + "/stat");
  std::istringstream rest(line.substr(close + 1));
  StatFields fields;
  rest >> fields.state;
  std::string skip;
  for (int field = 4; field < 22; ++field) rest >> skip;  // fields 4..21
  rest >> fields.start_time;
  if (!rest) return make_error(Errc::internal, "unreadable /proc/" + std::to_string(pid) + "/stat");
  return fields;
}

}  // namespace

Result<ProcessIdentity> identify_process(int pid) {
  if (pid <= 0) return make_error(Errc::invalid_argument, "no process with pid " + std::to_string(pid));
  auto fields = read_stat(pid);
  if (!fields) return fields.error();
  return ProcessIdentity{pid, fields->start_time};
}

bool process_alive(const ProcessIdentity& identity) {
  if (identity.pid <= 0) return false;
  auto fields = read_stat(identity.pid);
  return fields && fields->start_time == identity.start_time && fields->state != 'Z' && fields->state != 'X';
}

Result<void> spawn_detached(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                            int pass_fd) {
  // Everything the children need is prepared before fork: after fork in a threaded daemon only
  // async-signal-safe calls are allowed.
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int out = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (out < 0) return errno_error(Errc::internal, "open " + output_file.string(), errno);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(out);
    return errno_error(Errc::internal, "open /dev/null", errno);
  }
  const pid_t child = ::fork();
  if (child < 0) {
    const int err = errno;
    ::close(out);
    ::close(null_fd);
    return errno_error(Errc::resource_exhausted, "fork", err);
  }
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) ::_exit(0);  // the grandchild is adopted by init (or a subreaper)
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::dup2(null_fd, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(126);
    // dup2 onto itself keeps close-on-exec, so that case clears the flag by hand.
    if (pass_fd == 3 ? ::fcntl(3, F_SETFD, 0) < 0 : ::dup2(pass_fd, 3) < 0) ::_exit(126);
    ::syscall(SYS_close_range, 4U, ~0U, 0U);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(null_fd);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

Result<int> open_process_watch(const ProcessIdentity& identity) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, identity.pid, 0));
  if (fd < 0) {
    const int err = errno;
    return errno_error(err == ESRCH ? Errc::not_found : Errc::internal, "pidfd_open " + std::to_string(identity.pid), err);
  }
  // The pid could have been reused between the caller's check and pidfd_open; the pidfd pins the
  // process, so checking the identity now is final.
  if (!process_alive(identity)) {
    ::close(fd);
    return make_error(Errc::not_found, "process " + std::to_string(identity.pid) + " has ended");
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

Result<void> signal_process_group(int pgid, int signal) {
  if (pgid <= 1) return make_error(Errc::invalid_argument, "refusing to signal process group " + std::to_string(pgid));
  if (::kill(-pgid, signal) != 0) {
    const int err = errno;
    return errno_error(err == ESRCH ? Errc::not_found : Errc::internal,
                       "signal " + std::to_string(signal) + " to process group " + std::to_string(pgid), err);
  }
  return {};
}

}  // namespace silo::platform
