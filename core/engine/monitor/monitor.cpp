#include "core/engine/monitor/monitor.h"

#include "core/clock.h"
#include "core/engine/monitor/monitor_files.h"
#include "core/logs/log_writer.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

namespace silo::engine::monitor {

namespace {

// Output left in the pipes after the main process ended is read for at most this long.
constexpr std::chrono::milliseconds kDrainLimit{5000};

void report_ready(int ready_fd, const ReadyReport& report) {
  if (ready_fd < 0) return;
  const std::string line = encode_ready(report);
  (void)!::write(ready_fd, line.data(), line.size());
  ::close(ready_fd);
}

void note(const std::string& text) { std::fprintf(stderr, "silo-monitor[%d]: %s\n", ::getpid(), text.c_str()); }

}  // namespace

int run_monitor(const MonitorConfig& config, int ready_fd) {
  // A closed log reader or a hangup of the session silod started us in must not end the monitor.
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGINT, SIG_IGN);
  SystemClock clock;
  if (auto self = platform::identify_process(::getpid()); !self || !write_identity(config.state_dir, *self)) {
    report_ready(ready_fd, {false, 0, make_error(Errc::internal, "the monitor cannot record its identity in " + config.state_dir.string())});
    return 1;
  }
  if (config.monitor_cgroup) {
    if (auto joined = platform::join_cgroup(*config.monitor_cgroup, 0); !joined) note(joined.error().message);
  }
  auto writer = logs::LogWriter::open(config.state_dir, config.log, clock);
  if (!writer) {
    report_ready(ready_fd, {false, 0, writer.error()});
    return 1;
  }
  const std::uint64_t oom_before = config.watched_cgroup ? platform::read_oom_kills(*config.watched_cgroup) : 0;
  auto child = platform::launch_process(config.launch);
  if (!child) {
    report_ready(ready_fd, {false, 0, child.error()});
    return 1;
  }
  report_ready(ready_fd, {true, child->pid, {}});
  bool log_failed = false;
  TimeNs finished_at = 0;
  auto end = platform::pump_until_exit(
      *child,
      [&](std::string_view stream, std::string_view bytes) {
        auto appended = writer->append(stream, bytes);
        if (!appended && !log_failed) note(appended.error().message);
        log_failed = log_failed || !appended;
      },
      [&] {
        finished_at = clock.now();
        // As hcsshim does for job containers: when the main process ends, so does the rest.
        if (config.mode == Mode::container && config.watched_cgroup) {
          if (auto killed = platform::kill_cgroup(*config.watched_cgroup); !killed) note(killed.error().message);
        }
      },
      kDrainLimit);
  if (config.exit_code_carries_signal && !end.signal && end.exit_code > 128 && end.exit_code < 128 + 65) {
    end.signal = end.exit_code - 128;
  }
  (void)writer->finish("stdout");
  (void)writer->finish("stderr");
  const bool oom = config.watched_cgroup && platform::read_oom_kills(*config.watched_cgroup) > oom_before &&
                   (config.mode == Mode::container || end.signal == SIGKILL);
  if (auto written = write_exit_status(config.state_dir, describe_exit(end, oom, finished_at)); !written) {
    note(written.error().message);
    return 1;
  }
  return 0;
}

}  // namespace silo::engine::monitor
