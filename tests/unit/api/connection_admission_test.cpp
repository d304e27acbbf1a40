// HttpServer's connection limits (api/http/server.h): the local socket keeps a share that TCP
// peers cannot take, one address gets at most its own share, and connections that never finish
// their TLS handshake are cut to make room for new ones, while verified clients never are. Then the
// refusal log, which says once per peer and interval how many were refused.
#include "api/http/refusal_log.h"
#include "api/http/server.h"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace silo::api {
namespace {

using namespace std::chrono_literals;

class CountingSession final : public SessionControl {
 public:
  void request_stop() override {}
  void force_close() override { ++closed; }
  int closed = 0;
};

PeerIdentity local_peer() {
  PeerIdentity peer;
  peer.transport = "unix";
  return peer;
}

PeerIdentity tcp_peer(const std::string& address, int port) {
  PeerIdentity peer;
  peer.transport = "tls";
  peer.remote_address = address + ":" + std::to_string(port);
  return peer;
}

class Admissions : public ::testing::Test {
 protected:
  std::shared_ptr<HttpServer> server(Limits limits) {
    return std::make_shared<HttpServer>(io.get_executor(), std::make_shared<Router>(), limits);
  }
  // Admits a new session; its id in *id when admitted.
  Admission admit(HttpServer& to, const PeerIdentity& peer, bool pending,
                  std::shared_ptr<CountingSession>* kept = nullptr, std::uint64_t* id = nullptr) {
    auto session = std::make_shared<CountingSession>();
    std::uint64_t ignored = 0;
    auto admission = to.admit(session, peer, pending, id ? *id : ignored);
    if (kept) *kept = session;
    return admission;
  }
  boost::asio::io_context io;
};

TEST_F(Admissions, TheLocalSocketKeepsAShareRemotePeersCannotTake) {
  Limits limits;
  limits.max_connections = 8;  // TCP gets three quarters: 6
  auto s = server(limits);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(admit(*s, tcp_peer("192.0.2." + std::to_string(i), 1000), false), Admission::admitted);
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.99", 1000), false), Admission::remote_share_full);
  EXPECT_EQ(admit(*s, local_peer(), false), Admission::admitted);
  EXPECT_EQ(admit(*s, local_peer(), false), Admission::admitted);
  EXPECT_EQ(admit(*s, local_peer(), false), Admission::full);
  EXPECT_EQ(describe_refusal(Admission::remote_share_full, limits),
            "too many open TCP connections (limit 6, max-remote-connections; the rest is kept for the local socket)");
}

TEST_F(Admissions, OneAddressGetsAtMostItsShare) {
  Limits limits;
  limits.max_connections_per_peer = 2;
  auto s = server(limits);
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.7", 1), false), Admission::admitted);
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.7", 2), true), Admission::admitted);
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.7", 3), true), Admission::peer_full);
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.8", 1), true), Admission::admitted);
  // IPv6 addresses keep their brackets: the port is what goes.
  EXPECT_EQ(admit(*s, tcp_peer("[2001:db8::1]", 1), true), Admission::admitted);
  EXPECT_EQ(admit(*s, tcp_peer("[2001:db8::1]", 2), true), Admission::admitted);
  EXPECT_EQ(admit(*s, tcp_peer("[2001:db8::1]", 3), true), Admission::peer_full);
}

TEST_F(Admissions, ANewHandshakeCutsTheOldestPendingOneButNeverAVerifiedClient) {
  Limits limits;
  limits.max_pending_handshakes = 2;
  auto s = server(limits);
  std::shared_ptr<CountingSession> first, second, third;
  std::uint64_t second_id = 0;
  ASSERT_EQ(admit(*s, tcp_peer("192.0.2.1", 1), true, &first), Admission::admitted);
  ASSERT_EQ(admit(*s, tcp_peer("192.0.2.2", 1), true, &second, &second_id), Admission::admitted);
  s->handshake_done(second_id);  // verified: no longer pending
  ASSERT_EQ(admit(*s, tcp_peer("192.0.2.3", 1), true, &third), Admission::admitted);
  EXPECT_EQ(first->closed, 0) << "two pending, two allowed: nobody is cut yet";
  ASSERT_EQ(admit(*s, tcp_peer("192.0.2.4", 1), true), Admission::admitted);
  EXPECT_EQ(first->closed, 1) << "the oldest pending handshake makes room";
  ASSERT_EQ(admit(*s, tcp_peer("192.0.2.5", 1), true), Admission::admitted);
  EXPECT_EQ(third->closed, 1);
  EXPECT_EQ(second->closed, 0) << "a verified client was cut";
}

TEST_F(Admissions, AFullTcpShareOfVerifiedClientsRefusesNewcomers) {
  Limits limits;
  limits.max_connections = 4;  // TCP share: 3
  auto s = server(limits);
  for (int i = 0; i < 3; ++i) {
    std::uint64_t id = 0;
    ASSERT_EQ(admit(*s, tcp_peer("192.0.2." + std::to_string(i), 1), true, nullptr, &id), Admission::admitted);
    s->handshake_done(id);
  }
  EXPECT_EQ(admit(*s, tcp_peer("192.0.2.9", 1), true), Admission::remote_share_full);
  EXPECT_EQ(admit(*s, local_peer(), false), Admission::admitted);
}

TEST_F(Admissions, AnExplicitTcpShareIsKeptBelowTheTotal) {
  Limits limits;
  limits.max_connections = 10;
  limits.max_remote_connections = 4;
  EXPECT_EQ(limits.remote_connection_cap(), 4u);
  limits.max_remote_connections = 50;
  EXPECT_EQ(limits.remote_connection_cap(), 10u);
}

TEST(RefusalLog, OneLinePerPeerAndIntervalCountingWhatItCovers) {
  RefusalLog log(10s, 4);
  auto t0 = RefusalLog::Clock::time_point{} + 1h;
  EXPECT_EQ(log.due("192.0.2.7", t0), 1u);  // the first refusal is logged at once
  for (int i = 0; i < 99; ++i) EXPECT_EQ(log.due("192.0.2.7", t0 + 1s), 0u);
  EXPECT_EQ(log.due("192.0.2.8", t0 + 1s), 1u) << "another peer has its own interval";
  EXPECT_EQ(log.due("192.0.2.7", t0 + 10s), 100u) << "the next line counts the 99 it held back and itself";
}

TEST(RefusalLog, ManyAddressesShareOneEntryPastTheBound) {
  RefusalLog log(10s, 2);
  auto t0 = RefusalLog::Clock::time_point{} + 1h;
  EXPECT_EQ(log.due("192.0.2.1", t0), 1u);
  EXPECT_EQ(log.due("192.0.2.2", t0), 1u);
  EXPECT_EQ(log.due("192.0.2.3", t0), 1u);  // "other peers": a line of its own
  EXPECT_EQ(log.due("192.0.2.4", t0), 0u);  // ...once per interval however many addresses
  EXPECT_EQ(log.due("192.0.2.1", t0 + 11s), 1u);
}

}  // namespace
}  // namespace silo::api
