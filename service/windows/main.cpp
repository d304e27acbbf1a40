// silod.exe: the daemon on Windows. Under the Service Control Manager (the registered command line
// carries --service) it runs as the service, logging to <data root>\logs and the event log; from a
// console it runs in the foreground until Ctrl+C. --register-service / --unregister-service manage
// the service entry. A startup failure prints (or logs) one line saying what is wrong and exits 1.
#include "core/engine/hcs/documents/command_line.h"
#include "core/logging.h"
#include "core/platform/windows/wide_text.h"
#include "service/composition_root.h"
#include "service/config.h"
#include "service/daemon_platform.h"
#include "service/windows/service_host.h"
#include "service/windows/service_logging.h"
#include "service/windows/service_registration.h"

#include <windows.h>
#include <shellapi.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace silo;

// The flags only silod.exe has; everything else is the daemon's configuration (config.h).
struct WindowsFlags {
  bool register_service = false;
  bool unregister_service = false;
  bool as_service = false;  // started by the SCM with the registered command line
  std::string service_name = "silod";
  std::vector<std::string> daemon_args;
};

// The command line as UTF-8, from the wide one: argv of a mingw program is in the ANSI code page.
std::vector<std::string> utf8_arguments() {
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  std::vector<std::string> args;
  for (int i = 1; wide && i < count; ++i) args.push_back(platform::windows::to_utf8(wide[i]));
  LocalFree(wide);
  return args;
}

Result<WindowsFlags> split_flags(const std::vector<std::string>& args) {
  WindowsFlags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--register-service") {
      flags.register_service = true;
    } else if (arg == "--unregister-service") {
      flags.unregister_service = true;
    } else if (arg == "--service") {
      flags.as_service = true;
    } else if (arg == "--service-name" || arg.starts_with("--service-name=")) {
      std::string value;
      if (arg != "--service-name") {
        value = arg.substr(arg.find('=') + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      }
      if (value.empty() || value.size() > 256 || value.find_first_of("/\\") != std::string::npos) {
        return make_error(Errc::invalid_argument,
                          "--service-name needs a name of 1 to 256 characters without / or \\, got \"" + value + "\"");
      }
      flags.service_name = value;
    } else {
      flags.daemon_args.push_back(arg);
    }
  }
  if (flags.register_service && flags.unregister_service) {
    return make_error(Errc::invalid_argument, "--register-service and --unregister-service exclude each other");
  }
  return flags;
}

std::string this_executable() {
  std::vector<wchar_t> path(32768);
  const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  return platform::windows::to_utf8(std::wstring_view(path.data(), length));
}

int register_with_scm(const WindowsFlags& flags) {
  std::vector<std::string> argv{this_executable(), "--service", "--service-name", flags.service_name};
  argv.insert(argv.end(), flags.daemon_args.begin(), flags.daemon_args.end());
  service::windows::ServiceRegistration registration;
  registration.name = flags.service_name;
  registration.command_line = hcs::join_command_line(argv);
  auto report = service::windows::register_service(registration);
  if (!report) {
    std::fprintf(stderr, "silod: %s\n", report.error().message.c_str());
    return 1;
  }
  for (const auto& unsupported : report->unsupported_settings) std::fprintf(stderr, "silod: warning: %s\n", unsupported.c_str());
  std::printf("registered service %s: %s\n", flags.service_name.c_str(), registration.command_line.c_str());
  return 0;
}

// The daemon's body for the service host: built inside run() so a stop requested meanwhile is not lost.
class HostedDaemon {
 public:
  HostedDaemon(service::Invocation invocation, bool as_service) : invocation_(std::move(invocation)), as_service_(as_service) {}

  int run(const std::function<void()>& report_running) {
    auto daemon = service::Daemon::create(invocation_);
    if (!daemon) {
      // A service has no console: the log file and the event log are where the reason goes.
      if (as_service_) logging::get("silod")->error("cannot start: {}", daemon.error().message);
      else std::fprintf(stderr, "silod: %s\n", daemon.error().message.c_str());
      return 1;
    }
    {
      std::lock_guard lock(mutex_);
      daemon_ = daemon->get();
      if (stop_requested_) daemon_->stop();
    }
    int code = (*daemon)->run(/*handle_signals=*/false, report_running);
    std::lock_guard lock(mutex_);
    daemon_ = nullptr;
    return code;
  }

  void request_stop() {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    if (daemon_) daemon_->stop();
  }

 private:
  service::Invocation invocation_;
  bool as_service_;
  std::mutex mutex_;
  service::Daemon* daemon_ = nullptr;
  bool stop_requested_ = false;
};

}  // namespace

int main() {
  auto flags = split_flags(utf8_arguments());
  if (!flags) {
    std::fprintf(stderr, "silod: %s\n", flags.error().message.c_str());
    return 1;
  }
  if (flags->unregister_service) {
    auto removed = service::windows::unregister_service(flags->service_name);
    if (!removed) {
      std::fprintf(stderr, "silod: %s\n", removed.error().message.c_str());
      return 1;
    }
    std::printf("unregistered service %s\n", flags->service_name.c_str());
    return 0;
  }
  auto parsed = service::parse_or_answer(flags->daemon_args);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  auto invocation = &std::get<service::Invocation>(parsed);
  // The options are checked before they are registered, so a service never starts with a typo.
  if (flags->register_service) return register_with_scm(*flags);

  auto level = *logging::parse_level(invocation->config.log_level);
  HostedDaemon hosted(*invocation, flags->as_service);
  service::windows::ServiceDaemon body{
      [&hosted](const std::function<void()>& report_running) { return hosted.run(report_running); },
      [&hosted] { hosted.request_stop(); }};
  if (!flags->as_service) {
    logging::configure({level, {}});
    return service::windows::run_in_console(body);
  }
  // Under the SCM there is no console: the log file and the event log are where an operator looks.
  // The data root is made first so it gets its restricted ACL before the log folder appears in it.
  if (auto prepared = service::prepare_data_root(invocation->config.data_root); !prepared) {
    std::fprintf(stderr, "silod: %s\n", prepared.error().message.c_str());
    return 1;
  }
  auto sinks = service::windows::service_log_sinks(invocation->config.data_root, flags->service_name);
  if (!sinks) {
    std::fprintf(stderr, "silod: %s\n", sinks.error().message.c_str());
    return 1;
  }
  logging::configure({level, *sinks});
  auto hosted_by = service::windows::run_service({flags->service_name}, body);
  if (!hosted_by) {
    logging::get("silod")->error("{}", hosted_by.error().message);
    return 1;
  }
  if (*hosted_by == service::windows::HostedBy::console) {
    std::fprintf(stderr, "silod: --service is for the Service Control Manager's start; run silod without it in a console\n");
    return 1;
  }
  return 0;
}
