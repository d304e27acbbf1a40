#include "tests/integration/tls_support.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http.hpp>

#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace silo::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace certs = silo::service::tls;
using namespace std::chrono_literals;

constexpr auto kIoLimit = 15s;

std::optional<certs::Certificate> load_cert(const std::string& path) {
  auto cert = certs::parse_certificate_pem(read_text(path));
  if (!cert) return std::nullopt;
  return *cert;
}

}  // namespace

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

bool tls_init(const std::string& dir, std::string* why) {
  auto run = run_process({SILOD_EXECUTABLE, "tls", "init", "--dir", dir, "--name", "localhost", "--ip", "127.0.0.1"});
  if (run.exit_code != 0) *why = "silod tls init failed: " + run.out + run.err;
  return run.exit_code == 0;
}

std::string serial_hex(X509* cert) {
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
  char* hex = BN_bn2hex(number);
  std::string out = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(number);
  return out;
}

bool issue_client_cert(const std::string& certs_dir, const std::string& out_dir, int from_days, int to_days,
                       const std::string& role) {
  auto ca = load_cert(certs_dir + "/ca.pem");
  auto ca_key = certs::parse_private_key_pem(read_text(certs_dir + "/ca-key.pem"));
  auto key = certs::generate_p256_key();
  if (!ca || !ca_key || !key) return false;
  auto now = std::chrono::system_clock::now();
  certs::CertRequest request;
  request.kind = certs::CertKind::client;
  request.common_name = "test-" + role;
  request.organizational_units = {role};
  request.not_before = now + std::chrono::days(from_days);
  request.not_after = now + std::chrono::days(to_days);
  auto cert = certs::issue_certificate(request, *key, *ca, *ca_key);
  if (!cert) return false;
  std::filesystem::create_directories(out_dir);
  return write_text(out_dir + "/ca.pem", read_text(certs_dir + "/ca.pem")) &&
         write_text(out_dir + "/cert.pem", certs::certificate_pem(*cert)) &&
         write_text(out_dir + "/key.pem", certs::private_key_pem(*key));
}

std::string rotate_server_cert(const std::string& certs_dir) {
  auto ca = load_cert(certs_dir + "/ca.pem");
  auto ca_key = certs::parse_private_key_pem(read_text(certs_dir + "/ca-key.pem"));
  auto key = certs::generate_p256_key();
  if (!ca || !ca_key || !key) return {};
  auto now = std::chrono::system_clock::now();
  certs::CertRequest request;
  request.kind = certs::CertKind::server;
  request.common_name = "localhost";
  request.dns_names = {"localhost"};
  request.ip_addresses = {"127.0.0.1"};
  request.not_before = now - std::chrono::minutes(5);
  request.not_after = now + std::chrono::days(30);
  auto cert = certs::issue_certificate(request, *key, *ca, *ca_key);
  if (!cert) return {};
  // Written to temporary names and renamed, as a careful operator (or certbot) does.
  std::string cert_tmp = certs_dir + "/server-cert.pem.new";
  std::string key_tmp = certs_dir + "/server-key.pem.new";
  if (!write_text(cert_tmp, certs::certificate_pem(*cert)) || !write_text(key_tmp, certs::private_key_pem(*key))) return {};
  std::filesystem::rename(key_tmp, certs_dir + "/server-key.pem");
  std::filesystem::rename(cert_tmp, certs_dir + "/server-cert.pem");
  return serial_hex(cert->get());
}

bool write_crl(const std::string& certs_dir, const std::string& revoked_cert, const std::string& out) {
  auto ca = load_cert(certs_dir + "/ca.pem");
  auto ca_key = certs::parse_private_key_pem(read_text(certs_dir + "/ca-key.pem"));
  auto revoked = load_cert(revoked_cert);
  if (!ca || !ca_key || !revoked) return false;
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), &X509_CRL_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> now(ASN1_TIME_new(), &ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(ASN1_TIME_new(), &ASN1_TIME_free);
  X509_time_adj_ex(now.get(), 0, -60, nullptr);
  X509_time_adj_ex(next.get(), 7, 0, nullptr);
  X509_REVOKED* entry = X509_REVOKED_new();
  bool ok = X509_CRL_set_version(crl.get(), 1) == 1 && X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca->get())) == 1 &&
            X509_CRL_set1_lastUpdate(crl.get(), now.get()) == 1 && X509_CRL_set1_nextUpdate(crl.get(), next.get()) == 1 &&
            X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(revoked->get())) == 1 &&
            X509_REVOKED_set_revocationDate(entry, now.get()) == 1 && X509_CRL_add0_revoked(crl.get(), entry) == 1;
  if (!ok) {
    X509_REVOKED_free(entry);
    return false;
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), ca_key->get(), EVP_sha256()) <= 0) return false;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(out.c_str(), "w"), &BIO_free);
  return bio && PEM_write_bio_X509_CRL(bio.get(), crl.get()) == 1;
}

TlsSilod::TlsSilod(const std::string& dir) : dir_(dir), certs_(dir + "/certs"), log_path_(dir + "/silod.log") {}

TlsSilod::~TlsSilod() {
  if (process_) stop();
}

bool TlsSilod::start(std::string* why) {
  if (!std::filesystem::exists(certs_ + "/ca.pem") && !tls_init(certs_, why)) return false;
  port_ = free_loopback_port();
  ChildProcess::Options options;
  options.argv = {SILOD_EXECUTABLE, "--data-root", dir_ + "/data", "--host", "unix://" + socket_path(),
                  "--host", tcp_host(), "--tlsverify", "--tlscacert", certs_ + "/ca.pem",
                  "--tlscert", certs_ + "/server-cert.pem", "--tlskey", certs_ + "/server-key.pem", "--log-level", "debug"};
  options.argv.insert(options.argv.end(), extra_args_.begin(), extra_args_.end());
  options.output_file = log_path_;
  auto spawned = ChildProcess::spawn(options, why);
  if (!spawned) return false;
  process_.emplace(std::move(*spawned));
  // Up to 30 s (300 x 100 ms) until curl gets an answer on the TLS port.
  for (int attempt = 0; attempt < 300; ++attempt) {
    if (!process_->running()) {
      *why = "silod exited during startup; its log:\n" + log();
      return false;
    }
    if (curl_tls(*this, role_dir("admin"), "/_ping").exit_code == 0) return true;
    std::this_thread::sleep_for(100ms);
  }
  *why = "silod did not answer on " + tcp_host() + " within 30 s; its log:\n" + log();
  return false;
}

std::optional<int> TlsSilod::stop() {
  if (!process_) return std::nullopt;
  auto code = process_->stop(SIGTERM, std::chrono::seconds(20));
  process_.reset();
  return code;
}

void TlsSilod::signal(int sig) {
  if (process_) ::kill(process_->pid(), sig);
}

std::string TlsSilod::log() const { return read_text(log_path_); }

ProcessResult curl_tls(const TlsSilod& daemon, const std::string& client_dir, const std::string& path,
                       const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {SILO_CURL_EXECUTABLE, "--silent", "--show-error", "--max-time", "20",
                                   "--cacert", daemon.certs() + "/ca.pem", "--write-out", "\n%{http_code}"};
  if (!client_dir.empty()) {
    argv.insert(argv.end(), {"--cert", client_dir + "/cert.pem", "--key", client_dir + "/key.pem"});
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(daemon.https_url(path));
  return run_process(argv);
}

ProcessResult s_client(const TlsSilod& daemon, const std::vector<std::string>& extra) {
  std::string admin = daemon.role_dir("admin");
  std::vector<std::string> argv = {SILO_OPENSSL_EXECUTABLE, "s_client", "-connect", "127.0.0.1:" + std::to_string(daemon.port()),
                                   "-CAfile", daemon.certs() + "/ca.pem", "-cert", admin + "/cert.pem",
                                   "-key", admin + "/key.pem", "-brief"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, {}, std::chrono::seconds(20));
}

template <class Start>
bool KeepAliveTlsClient::run(Start&& start, boost::system::error_code& ec) {
  bool done = false;
  start([&](boost::system::error_code result, auto&&...) {
    ec = result;
    done = true;
  });
  io_.restart();
  io_.run_for(kIoLimit);
  if (!done) {
    boost::system::error_code ignored;
    stream_->lowest_layer().close(ignored);  // the bound passed: give up on this connection
    io_.restart();
    io_.run_for(1s);
    ec = asio::error::timed_out;
  }
  return !ec;
}

bool KeepAliveTlsClient::connect(int port, const std::string& client_dir, std::string* why) {
  context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  boost::system::error_code ec;
  context_->load_verify_file(client_dir + "/ca.pem", ec);
  if (!ec) context_->use_certificate_chain_file(client_dir + "/cert.pem", ec);
  if (!ec) context_->use_private_key_file(client_dir + "/key.pem", asio::ssl::context::pem, ec);
  if (ec) {
    *why = "client files: " + ec.message();
    return false;
  }
  context_->set_verify_mode(asio::ssl::verify_peer);
  stream_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(io_, *context_);
  stream_->set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  if (resume_from_) SSL_set_session(stream_->native_handle(), resume_from_);
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  if (!run([&](auto handler) { stream_->lowest_layer().async_connect(endpoint, handler); }, ec) ||
      !run([&](auto handler) { stream_->async_handshake(asio::ssl::stream_base::client, handler); }, ec)) {
    *why = "connect/handshake: " + ec.message();
    return false;
  }
  return true;
}

int KeepAliveTlsClient::get(const std::string& path, std::string* body) {
  http::request<http::empty_body> request{http::verb::get, path, 11};
  request.set(http::field::host, "127.0.0.1");
  request.keep_alive(true);
  boost::system::error_code ec;
  if (!run([&](auto handler) { http::async_write(*stream_, request, handler); }, ec)) return -1;
  http::response<http::string_body> response;
  if (!run([&](auto handler) { http::async_read(*stream_, buffer_, response, handler); }, ec)) return -1;
  if (body) *body = response.body();
  return static_cast<int>(response.result_int());
}

std::string KeepAliveTlsClient::server_serial() {
  X509* cert = SSL_get0_peer_certificate(stream_->native_handle());
  return cert ? serial_hex(cert) : std::string();
}

std::string KeepAliveTlsClient::protocol() { return SSL_get_version(stream_->native_handle()); }

bool KeepAliveTlsClient::resumed() { return SSL_session_reused(stream_->native_handle()) == 1; }

void KeepAliveTlsClient::resume_next(const KeepAliveTlsClient& from) {
  if (resume_from_) SSL_SESSION_free(resume_from_);
  resume_from_ = SSL_get1_session(from.stream_->native_handle());
}

KeepAliveTlsClient::~KeepAliveTlsClient() {
  stream_.reset();
  if (resume_from_) SSL_SESSION_free(resume_from_);
}

}  // namespace silo::testing
