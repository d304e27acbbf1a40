// Strangers on the TLS port cannot lock the owner out (issue #26): connections that never start a
// handshake, from one address and from many, fill what they may of silod's connection limits, and
// the local socket and a client with a verified certificate are still served; the refusals are
// logged once per address and interval, not once per connection.
#include "tests/integration/support/curl.h"
#include "tests/integration/tls_support.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace silo::testing {
namespace {

using namespace std::chrono_literals;

// An open TCP connection from `source` (a loopback address) to 127.0.0.1:port that sends nothing.
class SilentConnection {
 public:
  SilentConnection(const std::string& source, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      close();
    }
  }
  SilentConnection(SilentConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  SilentConnection(const SilentConnection&) = delete;
  ~SilentConnection() { close(); }
  bool connected() const { return fd_ >= 0; }

  // True once silod has closed the connection (a read sees the end), within `limit`.
  bool closed_within(std::chrono::milliseconds limit) {
    pollfd waiting{fd_, POLLIN, 0};
    if (fd_ < 0 || ::poll(&waiting, 1, static_cast<int>(limit.count())) != 1) return false;
    char byte = 0;
    return ::recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

class ConnectionFlood : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<TlsSilod>(dir_.path());
    std::string why;
    ASSERT_TRUE(daemon_->start(&why)) << why;
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "silod log:\n" << daemon_->log();
  }

  // The silod's defaults (256 in all, 192 for TCP, 32 per address, 64 handshaking) are what is
  // flooded: 300 connections from one address, then 20 from each of ten more.
  std::vector<SilentConnection> flood() {
    std::vector<SilentConnection> open;
    for (int i = 0; i < 300; ++i) open.emplace_back("127.0.0.2", daemon_->port());
    for (int address = 3; address < 13; ++address) {
      for (int i = 0; i < 20; ++i) open.emplace_back("127.0.0." + std::to_string(address), daemon_->port());
    }
    for (const auto& connection : open) EXPECT_TRUE(connection.connected());
    // silod accepts them in its own time; give the accept loop a moment to take the whole backlog.
    std::this_thread::sleep_for(500ms);
    return open;
  }

  std::string socket_status(const std::string& path) {
    auto run = run_process({SILO_CURL_EXECUTABLE, "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                            "--unix-socket", daemon_->socket_path(), "http://localhost" + path});
    return run.out;
  }
  static std::string status_of(const ProcessResult& run) { return run.out.substr(run.out.rfind('\n') + 1); }

  TempDir dir_;
  std::unique_ptr<TlsSilod> daemon_;
};

TEST_F(ConnectionFlood, TheLocalSocketAndAVerifiedClientAreStillServed) {
  auto strangers = flood();
  EXPECT_EQ(socket_status("/v1/version"), "200");
  auto verified = curl_tls(*daemon_, daemon_->role_dir("admin"), "/v1/version");
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_EQ(status_of(verified), "200");
  auto operator_client = curl_tls(*daemon_, daemon_->role_dir("operator"), "/v1/info");
  EXPECT_EQ(status_of(operator_client), "200") << operator_client.err;
}

TEST_F(ConnectionFlood, RefusalsAreLoggedOncePerAddressAndInterval) {
  auto strangers = flood();
  EXPECT_EQ(socket_status("/_ping"), "200");
  const std::string log = daemon_->log();
  // 268 connections from 127.0.0.2 were over its share of 32: one line says so, with the count.
  EXPECT_EQ(count_of(log, "connection(s) from 127.0.0.2 "), 1u) << log;
  EXPECT_NE(log.find("max-connections-per-peer"), std::string::npos);
}

// A stranger who connects and says nothing is cut at the handshake timeout (3 s), well before the
// header timeout (10 s): its slot does not stay taken.
TEST_F(ConnectionFlood, AConnectionThatNeverHandshakesIsCutAtTheHandshakeTimeout) {
  SilentConnection silent("127.0.0.2", daemon_->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.closed_within(8s)) << "still open after 8 s";
}

}  // namespace
}  // namespace silo::testing
