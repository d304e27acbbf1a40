// silo_service_test_host.exe: silo's Windows service host around a tiny daemon that serves the named
// pipe with the test router (GET /v1/version answers {"version":"service-test"}). The service tests
// register it with the SCM, start and stop it, as silod will be.
//
//   silo_service_test_host.exe --service-name NAME --pipe \\.\pipe\NAME [--data-root DIR] [--fail-code N]
//
// --fail-code makes the daemon stop at once with that exit code, as silod does when it cannot start.
#include "api/http/server.h"
#include "api/transport/windows/named_pipe_listener.h"
#include "core/logging.h"
#include "service/windows/service_host.h"
#include "service/windows/service_logging.h"
#include "tests/windows/pipe_test_server.h"

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace silo;

struct Args {
  std::string name = "silo-test-service";
  std::string pipe;
  std::string data_root;
  int fail_code = 0;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--service-name") args.name = value;
    if (flag == "--pipe") args.pipe = value;
    if (flag == "--data-root") args.data_root = value;
    if (flag == "--fail-code") args.fail_code = std::atoi(value.c_str());
  }
  return args;
}

// The daemon body: serve the pipe until asked to stop, then drain.
class TinyDaemon {
 public:
  explicit TinyDaemon(Args args) : args_(std::move(args)) {}

  int run(const std::function<void()>& report_running) {
    if (args_.fail_code != 0) return args_.fail_code;
    boost::asio::io_context io;
    auto server = std::make_shared<api::HttpServer>(io.get_executor(), test::tiny_router("service-test"), api::Limits{});
    auto listener = api::windows::NamedPipeListener::open(io.get_executor(), {args_.pipe, {}});
    if (!listener) {
      logging::get("service")->error("{}", listener.error().message);
      return 2;
    }
    server->add_listener(*listener);
    (*listener)->start(server);
    {
      std::lock_guard lock(mutex_);
      server_ = server;
      if (stop_requested_) server->shutdown([] {});
    }
    report_running();
    std::thread second([&io] { io.run(); });
    io.run();  // returns once the listener closed and every session ended
    second.join();
    return 0;
  }

  void request_stop() {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    if (server_) server_->shutdown([] {});
  }

 private:
  Args args_;
  std::mutex mutex_;
  std::shared_ptr<api::HttpServer> server_;
  bool stop_requested_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  if (!args.data_root.empty()) {
    auto sinks = service::windows::service_log_sinks(args.data_root, args.name);
    if (sinks) logging::configure({spdlog::level::info, *sinks});
  }
  TinyDaemon daemon(args);
  service::windows::ServiceDaemon body{
      [&daemon](const std::function<void()>& report_running) { return daemon.run(report_running); },
      [&daemon] { daemon.request_stop(); }};
  auto hosted = service::windows::run_service({args.name, std::chrono::milliseconds(5000)}, body);
  if (!hosted) {
    std::fprintf(stderr, "%s\n", hosted.error().message.c_str());
    return 1;
  }
  if (*hosted == service::windows::HostedBy::console) return service::windows::run_in_console(body);
  return 0;
}
