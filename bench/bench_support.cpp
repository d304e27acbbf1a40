#include "bench/bench_support.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
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
#include <fstream>
#include <mutex>
#include <thread>

namespace silo::bench {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using unix_socket = asio::local::stream_protocol;

std::string g_program = "bench";
std::mutex g_children_mutex;
std::vector<pid_t> g_children;  // silods this run started; die() must not leave them running

template <class Body>
Reply exchange(const std::string& socket_path, http::request<Body>& req, bool must_connect) {
  asio::io_context io;
  unix_socket::socket socket(io);
  boost::system::error_code ec;
  socket.connect(unix_socket::endpoint(socket_path), ec);
  if (ec) {
    if (must_connect) die("connect " + socket_path + ": " + ec.message());
    return {};
  }
  req.set(http::field::host, "localhost");
  req.set(http::field::connection, "close");
  http::write(socket, req, ec);
  if (ec) die("sending " + std::string(req.target()) + ": " + ec.message());
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(socket, buffer, parser, ec);
  if (ec) die("reading the answer to " + std::string(req.target()) + ": " + ec.message());
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

pid_t spawn(std::vector<std::string> args, const std::filesystem::path& log) {
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
  std::lock_guard lock(g_children_mutex);
  g_children.push_back(pid);
  return pid;
}

}  // namespace

void set_program_name(std::string name) { g_program = std::move(name); }

void die(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", g_program.c_str(), message.c_str());
  {
    std::lock_guard lock(g_children_mutex);
    for (pid_t pid : g_children) ::kill(pid, SIGTERM);
  }
  std::exit(1);
}

SilodProcess::SilodProcess(const std::string& silod, const std::filesystem::path& dir, std::vector<std::string> extra)
    : socket_((dir / "silod.sock").string()) {
  std::filesystem::create_directories(dir / "data");
  std::vector<std::string> args{silod, "-H", "unix://" + socket_, "--data-root", (dir / "data").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn(std::move(args), dir / "silod.log");
  for (int attempt = 0; attempt < 200; ++attempt) {
    http::request<http::empty_body> ping{http::verb::get, "/_ping", 11};
    if (exchange(socket_, ping, false).status == 200) return;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) die("silod exited at start; see " + (dir / "silod.log").string());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  die("silod does not answer on " + socket_ + " after 10 s");
}

SilodProcess::~SilodProcess() {
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  std::lock_guard lock(g_children_mutex);
  g_children.erase(std::remove(g_children.begin(), g_children.end(), pid_), g_children.end());
}

Reply request(const std::string& socket, const std::string& method, const std::string& target,
              const std::string& json_body) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  if (!json_body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = json_body;
  }
  req.prepare_payload();
  return exchange(socket, req, true);
}

Reply upload_file(const std::string& socket, const std::string& target, const std::filesystem::path& file,
                  const std::string& content_type) {
  http::request<http::file_body> req{http::verb::post, target, 11};
  boost::system::error_code ec;
  req.body().open(file.c_str(), boost::beast::file_mode::scan, ec);
  if (ec) die("open " + file.string() + ": " + ec.message());
  req.set(http::field::content_type, content_type);
  req.prepare_payload();
  return exchange(socket, req, true);
}

double Samples::per_second() const { return seconds > 0 ? static_cast<double>(us.size()) / seconds : 0; }

double Samples::percentile(double p) {
  if (us.empty()) return 0;
  std::sort(us.begin(), us.end());
  return us[static_cast<std::size_t>(p * static_cast<double>(us.size() - 1))];
}

long resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::string load_average() {
  double load[3] = {};
  ::getloadavg(load, 3);
  char text[64];
  std::snprintf(text, sizeof text, "load average %.2f %.2f %.2f", load[0], load[1], load[2]);
  return text;
}

}  // namespace silo::bench
