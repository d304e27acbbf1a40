// The raw baseline api_bench compares silod against: the simplest async Beast HTTP/1.1 server on a
// unix socket that gives the same answers, with none of silod's layers (no session limits or
// timers, no router, no request ids, no access log, no store abstraction).
//
//   GET /v1/version  the same JSON fields as silod, built once at startup from uname().
//   GET /v1/info     host facts (uname, sysinfo, hostname) read once at startup, as silod does;
//                    per request, on a read-only SQLite connection per thread to the same silo.db
//                    silod serves: SELECT state, count(*) FROM containers GROUP BY state;
//                    SELECT count(*) FROM sandboxes; SELECT count(*) FROM layers;
//                    SELECT coalesce(max(id), 0) FROM events; then the same JSON shape.
//   GET /_ping       "OK", as silod (used only to wait for readiness).
//   anything else    404 with a JSON error body.
// It runs its io_context on 2 threads, as silod does on this 2-core machine (clamp(cores, 2, 4)).
//
// Usage: baseline_beast_server SOCKET DB_PATH   (serves until SIGTERM/SIGINT)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using unix_socket = asio::local::stream_protocol;

std::string g_db_path;
std::string g_version_body;
nlohmann::json g_host;  // everything in /v1/info but the counts

void build_static_answers(const std::string& data_root) {
  utsname u{};
  ::uname(&u);
  struct sysinfo si {};
  ::sysinfo(&si);
  char hostname[256] = {};
  ::gethostname(hostname, sizeof hostname - 1);
  g_version_body = nlohmann::json{{"version", "0.1.0"}, {"apiVersion", "v1"}, {"gitCommit", "baseline"},
                                  {"os", "linux"},      {"arch", u.machine},  {"kernelVersion", u.release},
                                  {"buildType", "RelWithDebInfo"}}
                       .dump();
  nlohmann::json unavailable{{"available", false}, {"reason", "no backend"}};
  g_host = {{"hostname", hostname},
            {"os", {{"name", u.sysname}, {"version", u.version}, {"kernel", u.release}}},
            {"cpus", std::thread::hardware_concurrency()},
            {"memoryBytes", static_cast<std::int64_t>(si.totalram) * si.mem_unit},
            {"dataRoot", data_root},
            {"versions", {{"silo", "0.1.0"}, {"sqlite", sqlite3_libversion()}, {"openssl", "3"}, {"boost", "1.81"}}},
            {"isolation", {{"process", unavailable}, {"hyperv", unavailable}, {"hostprocess", unavailable}}}};
}

std::int64_t scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  std::int64_t value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
  sqlite3_finalize(statement);
  return value;
}

std::string info_body() {
  thread_local sqlite3* db = [] {
    sqlite3* opened = nullptr;
    sqlite3_open_v2(g_db_path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(opened, 5000);
    return opened;
  }();
  std::int64_t running = 0, created = 0, exited = 0, total = 0;
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT state, count(*) FROM containers GROUP BY state", -1, &statement, nullptr);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::string state = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    auto n = sqlite3_column_int64(statement, 1);
    total += n;
    running += state == "running" ? n : 0;
    created += state == "created" ? n : 0;
    exited += state == "exited" ? n : 0;
  }
  sqlite3_finalize(statement);
  nlohmann::json body = g_host;
  body["containers"] = {{"total", total}, {"running", running}, {"created", created}, {"exited", exited}};
  body["sandboxes"] = scalar(db, "SELECT count(*) FROM sandboxes");
  body["layers"] = scalar(db, "SELECT count(*) FROM layers");
  body["eventsLastId"] = scalar(db, "SELECT coalesce(max(id), 0) FROM events");
  return body.dump();
}

http::response<http::string_body> answer(const http::request<http::string_body>& request) {
  http::response<http::string_body> response{http::status::ok, request.version()};
  response.set(http::field::content_type, "application/json");
  if (request.method() == http::verb::get && request.target() == "/_ping") {
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "OK";
  } else if (request.method() == http::verb::get && request.target() == "/v1/version") {
    response.body() = g_version_body;
  } else if (request.method() == http::verb::get && request.target() == "/v1/info") {
    response.body() = info_body();
  } else {
    response.result(http::status::not_found);
    response.body() = R"({"message":"not found","code":"not_found"})";
  }
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

asio::awaitable<void> serve(unix_socket::socket socket) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    boost::system::error_code ec;
    co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    auto response = answer(request);
    co_await http::async_write(socket, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !response.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept_loop(unix_socket::acceptor acceptor) {
  for (;;) {
    auto socket = co_await acceptor.async_accept(asio::make_strand(acceptor.get_executor()), asio::use_awaitable);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: baseline_beast_server SOCKET DB_PATH\n");
    return 2;
  }
  g_db_path = argv[2];
  std::string db_path = argv[2];
  build_static_answers(db_path.substr(0, db_path.rfind('/')));
  asio::io_context io;
  ::unlink(argv[1]);
  unix_socket::acceptor acceptor(io, unix_socket::endpoint(argv[1]));
  asio::co_spawn(io, accept_loop(std::move(acceptor)), asio::detached);
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](auto, int) { io.stop(); });
  std::thread second([&] { io.run(); });
  io.run();
  second.join();
  ::unlink(argv[1]);
  return 0;
}
