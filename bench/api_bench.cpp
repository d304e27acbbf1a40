// API throughput and latency: GET /v1/version and GET /v1/info over a unix socket, with 1 and 32
// keep-alive connections each sending one request at a time, against the real silod and against
// baseline_beast_server (the simplest Beast server giving the same answers; see its header) in the
// same run, on the same seeded database (1 sandbox, 100 containers).
//
// Usage: api_bench [requests-per-config] [seconds-per-config]   (defaults 20000 and 10)
#include "core/ids.h"
#include "storage/sqlite/metadata_store.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using unix_socket = asio::local::stream_protocol;
using SteadyClock = std::chrono::steady_clock;

std::vector<pid_t> g_children;  // servers this run started; die() must not leave them running

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "api_bench: %s\n", message.c_str());
  for (pid_t pid : g_children) ::kill(pid, SIGTERM);
  std::exit(1);
}

void seed_database(const fs::path& db) {
  silo::SystemClock clock;
  auto store = silo::open_metadata_store(silo::StoreOptions{db, clock});
  if (!store) die("cannot create " + db.string() + ": " + store.error().message);
  auto written = store.value()->write([](silo::WriteTxn& txn) -> silo::Result<void> {
    silo::SandboxRecord pod;
    pod.id = silo::ids::generate();
    pod.name = "bench";
    SILO_TRY(txn.insert_sandbox(pod));
    for (int i = 0; i < 100; ++i) {
      silo::ContainerRecord record;
      record.id = silo::ids::generate();
      record.name = "bench-" + std::to_string(i);
      record.sandbox_id = pod.id;
      // created and exited only: running ones would make silod re-adopt them at startup.
      record.state = i % 3 == 0 ? silo::ContainerState::exited : silo::ContainerState::created;
      record.labels = {{"app", "bench"}};
      record.spec = nlohmann::json{{"command", {"true"}}};
      SILO_TRY(txn.insert_container(record));
    }
    return {};
  });
  if (!written) die("seeding failed: " + written.error().message);
}

pid_t spawn(std::vector<std::string> args, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  g_children.push_back(pid);
  return pid;
}

// Ready means answering: GET /_ping gets a 200 (a bound socket may not be accepting yet).
bool pings(asio::io_context& io, const std::string& path) {
  unix_socket::socket socket(io);
  boost::system::error_code ec;
  socket.connect(unix_socket::endpoint(path), ec);
  if (ec) return false;
  std::string request = "GET /_ping HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(request), ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  if (!ec) http::read(socket, buffer, response, ec);
  return !ec && response.result() == http::status::ok;
}

void wait_until_serving(const std::string& path) {
  asio::io_context io;
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (pings(io, path)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  die("nothing answers on " + path + " after 10 s");
}

void stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
}

struct Run {
  std::vector<double> latencies_us;
  long errors = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(latencies_us.size()) / seconds : 0; }
  double percentile(double p) {
    if (latencies_us.empty()) return 0;
    std::sort(latencies_us.begin(), latencies_us.end());
    return latencies_us[static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1))];
  }
};

struct Budget {
  long total;
  SteadyClock::time_point deadline;
  long issued = 0;
  bool claim() {
    if (issued >= total || SteadyClock::now() >= deadline) return false;
    ++issued;
    return true;
  }
};

// One connection: one request at a time, timed from the write to the end of the response.
asio::awaitable<void> client(std::string path, std::string target, Budget& budget, Run& run) {
  unix_socket::socket socket(co_await asio::this_coro::executor);
  boost::system::error_code ec;
  co_await socket.async_connect(unix_socket::endpoint(path), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) die("connect " + path + ": " + ec.message());
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: bench\r\n\r\n";
  boost::beast::flat_buffer buffer;
  while (budget.claim()) {
    auto started = SteadyClock::now();
    co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
    http::response<http::string_body> response;
    if (!ec) co_await http::async_read(socket, buffer, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) die("request to " + path + ": " + ec.message());
    if (response.result() != http::status::ok) ++run.errors;
    run.latencies_us.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - started).count());
  }
}

Run measure(const std::string& path, const std::string& target, int connections, long total, int seconds) {
  asio::io_context io;
  Run run;
  Budget budget{total, SteadyClock::now() + std::chrono::seconds(seconds)};
  auto started = SteadyClock::now();
  for (int i = 0; i < connections; ++i) asio::co_spawn(io, client(path, target, budget, run), asio::detached);
  io.run();
  run.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  long total = argc > 1 ? std::atol(argv[1]) : 20000;
  int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  auto dir = fs::temp_directory_path() / ("silo-api-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir / "data");
  seed_database(dir / "data" / "silo.db");

  std::string silod_socket = (dir / "silod.sock").string();
  std::string baseline_socket = (dir / "baseline.sock").string();
  pid_t silod = spawn({SILO_SILOD_PATH, "-H", "unix://" + silod_socket, "--data-root", (dir / "data").string()},
                      dir / "silod.log");
  pid_t baseline = spawn({SILO_BASELINE_PATH, baseline_socket, (dir / "data" / "silo.db").string()}, dir / "baseline.log");
  wait_until_serving(silod_socket);
  wait_until_serving(baseline_socket);

  double load[3] = {};
  ::getloadavg(load, 3);
  std::printf("api_bench: %ld requests or %d s per config, one request at a time per keep-alive connection; "
              "load average %.2f %.2f %.2f\n\n",
              total, seconds, load[0], load[1], load[2]);
  std::printf("%-12s %5s | %12s %9s %9s | %12s %9s %9s | %6s\n", "endpoint", "conns", "silod req/s", "p50 us",
              "p99 us", "base req/s", "p50 us", "p99 us", "ratio");
  for (const char* target : {"/v1/version", "/v1/info"}) {
    for (int connections : {1, 32}) {
      auto ours = measure(silod_socket, target, connections, total, seconds);
      auto base = measure(baseline_socket, target, connections, total, seconds);
      if (ours.errors || base.errors) die(std::string("non-200 answers on ") + target);
      std::printf("%-12s %5d | %12.0f %9.0f %9.0f | %12.0f %9.0f %9.0f | %6.2f\n", target, connections,
                  ours.per_second(), ours.percentile(0.50), ours.percentile(0.99), base.per_second(),
                  base.percentile(0.50), base.percentile(0.99), ours.per_second() / base.per_second());
    }
  }
  std::printf("\nratio = silod req/s / baseline req/s (1.00 means silod costs nothing over a bare Beast server)\n");
  stop(silod);
  stop(baseline);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
