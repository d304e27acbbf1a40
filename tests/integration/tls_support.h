// Support for the TLS integration tests: a real silod serving a unix socket and a TLS port on
// 127.0.0.1 (a free port), with certificates made by `silod tls init`; certificates issued on the
// spot from that CA (expired ones, rotated server certificates); and a keep-alive TLS client that
// reports the server certificate's serial.
#pragma once

#include "service/tls/certificates.h"
#include "tests/integration/support/daemon.h"
#include "tests/integration/support/process.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace silo::testing {

// A port on 127.0.0.1 nobody listens on right now.
int free_loopback_port();

std::string read_text(const std::string& path);
bool write_text(const std::string& path, const std::string& text);

// Runs `silod tls init --dir dir --name localhost --ip 127.0.0.1`; false with the output on failure.
bool tls_init(const std::string& dir, std::string* why);

// A client certificate from the CA in certs_dir, valid in [now+from_days, now+to_days], written as
// out_dir/{cert.pem,key.pem} with certs_dir/ca.pem copied beside them.
bool issue_client_cert(const std::string& certs_dir, const std::string& out_dir, int from_days, int to_days,
                       const std::string& role);
// A new server certificate and key for localhost/127.0.0.1 from the same CA, over the files silod
// serves; returns the new certificate's serial (hex).
std::string rotate_server_cert(const std::string& certs_dir);

std::string serial_hex(X509* cert);

// A CRL from the CA in certs_dir that revokes the certificate at revoked_cert, written to out.
bool write_crl(const std::string& certs_dir, const std::string& revoked_cert, const std::string& out);

class TlsSilod {
 public:
  explicit TlsSilod(const std::string& dir);
  ~TlsSilod();
  // Flags added to silod's command line (for example --tlscrl FILE).
  void add_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  bool start(std::string* why);
  std::optional<int> stop();
  void signal(int sig);
  std::string log() const;

  int port() const { return port_; }
  std::string socket_path() const { return dir_ + "/silod.sock"; }
  std::string tcp_host() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::string https_url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }
  const std::string& certs() const { return certs_; }
  std::string role_dir(const std::string& role) const { return certs_ + "/" + role; }

 private:
  std::string dir_;
  std::string certs_;
  std::string log_path_;
  int port_ = 0;
  std::vector<std::string> extra_args_;
  std::optional<ChildProcess> process_;
};

// curl over TLS with the given client folder (ca.pem, cert.pem, key.pem); empty folder: no client cert.
ProcessResult curl_tls(const TlsSilod& daemon, const std::string& client_dir, const std::string& path,
                       const std::vector<std::string>& extra = {});

// `openssl s_client` against the daemon with the admin certificate and extra flags; its output.
ProcessResult s_client(const TlsSilod& daemon, const std::vector<std::string>& extra);

// One TLS connection kept open across requests.
class KeepAliveTlsClient {
 public:
  // Connects and handshakes with client_dir's certificate; false with the reason on failure.
  bool connect(int port, const std::string& client_dir, std::string* why);
  // GET path on this connection; the status, or -1 when the connection failed.
  int get(const std::string& path, std::string* body = nullptr);
  std::string server_serial();
  std::string protocol();  // "TLSv1.3"
  bool resumed();
  // The session to resume on the next connect (TLS 1.3 tickets arrive with the first response).
  void resume_next(const KeepAliveTlsClient& from);
  ~KeepAliveTlsClient();

 private:
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ssl::context> context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream_;
  boost::beast::flat_buffer buffer_;
  SSL_SESSION* resume_from_ = nullptr;  // owned
  template <class Start>
  bool run(Start&& start, boost::system::error_code& ec);
};

}  // namespace silo::testing
