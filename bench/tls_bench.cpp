// Remote API cost: GET /v1/version over mutual TLS against the same request over the unix socket,
// one silod, one run. Four ways of sending a request, one request at a time:
//   unix keep-alive        one connection for every request (the local baseline)
//   unix connect           a new connection per request
//   tls keep-alive         one TLS connection for every request
//   tls resumed handshake  a new connection per request, resuming the previous TLS session
//   tls full handshake     a new connection and a full handshake (ECDHE + client certificate) per request
// Certificates come from silod's own `tls init` code (ECDSA P-256). Prints req/s, p50 and p99.
//
// Usage: tls_bench [requests-per-config] [seconds-per-config]   (defaults 5000 and 10)
#include "service/tls/tls_init.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;
using SteadyClock = std::chrono::steady_clock;

pid_t g_silod = -1;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "tls_bench: %s\n", message.c_str());
  if (g_silod > 0) ::kill(g_silod, SIGTERM);
  std::exit(1);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
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
  return pid;
}

const std::string kRequest = "GET /v1/version HTTP/1.1\r\nHost: bench\r\n\r\n";

// One request on an open stream; false on any failure.
template <class Stream>
bool exchange(Stream& stream, boost::beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  asio::write(stream, asio::buffer(kRequest), ec);
  http::response<http::string_body> response;
  if (!ec) http::read(stream, buffer, response, ec);
  return !ec && response.result() == http::status::ok;
}

struct Run {
  std::vector<double> latencies_us;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(latencies_us.size()) / seconds : 0; }
  double percentile(double p) {
    if (latencies_us.empty()) return 0;
    std::sort(latencies_us.begin(), latencies_us.end());
    return latencies_us[static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1))];
  }
};

// Calls one_request until `total` requests or `seconds` pass; each call timed.
Run measure(long total, int seconds, const std::function<bool()>& one_request) {
  Run run;
  auto started = SteadyClock::now();
  auto deadline = started + std::chrono::seconds(seconds);
  for (long i = 0; i < total && SteadyClock::now() < deadline; ++i) {
    auto begin = SteadyClock::now();
    if (!one_request()) die("a request failed");
    run.latencies_us.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - begin).count());
  }
  run.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return run;
}

struct TlsClient {
  asio::io_context& io;
  ssl::context context{ssl::context::tls_client};
  tcp::endpoint endpoint;
  SSL_SESSION* session = nullptr;  // the last session, for resumption
  long resumed = 0;                // connections that did resume

  TlsClient(asio::io_context& io_context, const fs::path& certs, int port)
      : io(io_context), endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)) {
    context.load_verify_file((certs / "admin" / "ca.pem").string());
    context.use_certificate_chain_file((certs / "admin" / "cert.pem").string());
    context.use_private_key_file((certs / "admin" / "key.pem").string(), ssl::context::pem);
    context.set_verify_mode(ssl::verify_peer);
  }

  std::unique_ptr<ssl::stream<tcp::socket>> connect(bool resume) {
    auto stream = std::make_unique<ssl::stream<tcp::socket>>(io, context);
    if (resume && session) SSL_set_session(stream->native_handle(), session);
    boost::system::error_code ec;
    stream->lowest_layer().connect(endpoint, ec);
    if (!ec) stream->lowest_layer().set_option(tcp::no_delay(true), ec);
    if (!ec) stream->handshake(ssl::stream_base::client, ec);
    if (ec) die("TLS connect: " + ec.message());
    return stream;
  }

  bool one_connection_per_request(bool resume) {
    auto stream = connect(resume);
    boost::beast::flat_buffer buffer;
    bool ok = exchange(*stream, buffer);
    if (resume) {  // TLS 1.3 tickets arrive with the response; keep the newest
      if (SSL_session_reused(stream->native_handle()) == 1) ++resumed;
      if (session) SSL_SESSION_free(session);
      session = SSL_get1_session(stream->native_handle());
    }
    // Marked as cleanly closed without the close_notify round trip: OpenSSL would otherwise drop the
    // session as "bad" when the stream is freed, and the next connection could not resume it.
    SSL_set_shutdown(stream->native_handle(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    boost::system::error_code ignored;
    stream->lowest_layer().close(ignored);
    return ok;
  }

  ~TlsClient() {
    if (session) SSL_SESSION_free(session);
  }
};

void print(const char* name, Run run, double baseline_rps) {
  std::printf("%-22s | %10.0f %9.0f %9.0f | %6.2f\n", name, run.per_second(), run.percentile(0.5), run.percentile(0.99),
              baseline_rps > 0 ? run.per_second() / baseline_rps : 1.0);
}

}  // namespace

int main(int argc, char** argv) {
  long total = argc > 1 ? std::atol(argv[1]) : 5000;
  int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  auto dir = fs::temp_directory_path() / ("silo-tls-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir / "data");
  auto certs = dir / "certs";
  if (auto made = silo::service::tls::tls_init({certs.string(), {"localhost"}, {"127.0.0.1"}, false}); !made) {
    die(made.error().message);
  }
  int port = free_port();
  std::string socket_path = (dir / "silod.sock").string();
  g_silod = spawn({SILO_SILOD_PATH, "--data-root", (dir / "data").string(), "--host", "unix://" + socket_path, "--host",
                   "tcp://127.0.0.1:" + std::to_string(port), "--tlsverify", "--tlscacert", (certs / "ca.pem").string(),
                   "--tlscert", (certs / "server-cert.pem").string(), "--tlskey", (certs / "server-key.pem").string()},
                  dir / "silod.log");

  asio::io_context io;
  auto unix_exchange = [&] {
    unix_socket::socket socket(io);
    boost::system::error_code ec;
    socket.connect(unix_socket::endpoint(socket_path), ec);
    boost::beast::flat_buffer buffer;
    return !ec && exchange(socket, buffer);
  };
  bool up = false;
  for (int attempt = 0; attempt < 200 && !up; ++attempt) {  // up to 10 s
    up = unix_exchange();
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!up) die("silod did not answer within 10 s; see " + (dir / "silod.log").string());

  double load[3] = {};
  ::getloadavg(load, 3);
  std::printf("tls_bench: GET /v1/version, %ld requests or %d s per row, one at a time; load average %.2f %.2f %.2f\n\n",
              total, seconds, load[0], load[1], load[2]);
  std::printf("%-22s | %10s %9s %9s | %6s\n", "transport", "req/s", "p50 us", "p99 us", "vs unix keep-alive");

  unix_socket::socket keep(io);
  keep.connect(unix_socket::endpoint(socket_path));
  boost::beast::flat_buffer keep_buffer;
  Run unix_keep = measure(total, seconds, [&] { return exchange(keep, keep_buffer); });
  double base = unix_keep.per_second();
  print("unix keep-alive", unix_keep, base);
  print("unix connect", measure(total, seconds, unix_exchange), base);

  TlsClient tls(io, certs, port);
  auto tls_stream = tls.connect(false);
  boost::beast::flat_buffer tls_buffer;
  print("tls keep-alive", measure(total, seconds, [&] { return exchange(*tls_stream, tls_buffer); }), base);
  tls.one_connection_per_request(true);  // a session to resume from
  tls.resumed = 0;
  Run resumed = measure(total, seconds, [&] { return tls.one_connection_per_request(true); });
  print("tls resumed handshake", resumed, base);
  if (tls.resumed != static_cast<long>(resumed.latencies_us.size())) {
    std::printf("  (only %ld of %zu connections resumed their session)\n", tls.resumed, resumed.latencies_us.size());
  }
  print("tls full handshake", measure(total, seconds, [&] { return tls.one_connection_per_request(false); }), base);

  ::kill(g_silod, SIGTERM);
  ::waitpid(g_silod, nullptr, 0);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
