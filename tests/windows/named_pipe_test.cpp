// The named-pipe transport under Wine: real HTTP exchanges between silo's client library and the
// listener, concurrent clients, clients that vanish mid-request, the pipe's DACL and the identity
// the transport reads from the client's token.
#include "api/client/http_exchange.h"
#include "api/transport/windows/named_pipe_listener.h"
#include "api/transport/windows/pipe_security.h"
#include "tests/windows/pipe_test_server.h"
#include "tests/windows/raw_pipe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <windows.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace silo::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

client::ClientResult<client::HttpResponse> call(const std::string& host, const std::string& method,
                                                const std::string& target, const std::string& body = {}) {
  auto endpoint = client::parse_host(host);
  EXPECT_TRUE(endpoint) << host;
  client::HttpExchange exchange(*endpoint, client::Timeouts{std::chrono::seconds(10), std::chrono::seconds(20)}, "pipe-test");
  client::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  request.content_type = "text/plain";
  return exchange.send(request);
}

// The DACL as the system spells it back: well-known SIDs by alias (BU for S-1-5-32-545), and
// GENERIC_READ|GENERIC_WRITE as GRGW (Windows) or GWGR (Wine 8), the same rights.
const auto kBaseAndUsers = ::testing::AnyOf("D:P(A;;GA;;;BA)(A;;GA;;;SY)(A;;GRGW;;;BU)",
                                            "D:P(A;;GA;;;BA)(A;;GA;;;SY)(A;;GWGR;;;BU)");

// Waits (bounded) until the server has no open session left.
bool drains(api::HttpServer& server) {
  for (int i = 0; i < 200 && server.open_connections() > 0; ++i) Sleep(25);
  return server.open_connections() == 0;
}

TEST(NamedPipeHost, ParsesNpipeUrlsAndRejectsOthersByName) {
  auto path = api::windows::named_pipe_path("npipe:////./pipe/silod");
  ASSERT_TRUE(path) << path.error().message;
  EXPECT_EQ(*path, "\\\\.\\pipe\\silod");
  auto unix_host = api::windows::named_pipe_path("unix:///run/silo/silod.sock");
  ASSERT_FALSE(unix_host);
  EXPECT_THAT(unix_host.error().message, HasSubstr("npipe:////./pipe/NAME"));
  EXPECT_FALSE(api::windows::named_pipe_path("npipe:////./pipe/"));
  EXPECT_FALSE(api::windows::named_pipe_path("npipe:////./pipe/a/b"));
}

TEST(NamedPipeListener, ServesHttpToTheClientLibrary) {
  PipeTestServer daemon;
  EXPECT_THAT(daemon.host(), StartsWith("npipe:////./pipe/silo-test-"));
  auto version = call(daemon.host(), "GET", "/v1/version");
  ASSERT_TRUE(version) << version.error().error.message;
  EXPECT_EQ(version->head.status, 200);
  EXPECT_EQ(nlohmann::json::parse(version->body).at("version"), "test");

  auto echo = call(daemon.host(), "POST", "/echo", std::string(100'000, 'x'));  // more than one pipe buffer
  ASSERT_TRUE(echo) << echo.error().error.message;
  EXPECT_EQ(echo->body, std::string(100'000, 'x'));

  auto missing = call(daemon.host(), "GET", "/v1/nothing-here");
  ASSERT_TRUE(missing) << missing.error().error.message;
  EXPECT_EQ(missing->head.status, 404);
}

TEST(NamedPipeListener, IdentityComesFromTheClientToken) {
  PipeTestServer daemon;
  auto who = call(daemon.host(), "GET", "/whoami");
  ASSERT_TRUE(who) << who.error().error.message;
  auto peer = nlohmann::json::parse(who->body);
  EXPECT_EQ(peer.at("transport"), "npipe");
  EXPECT_EQ(peer.at("pid"), static_cast<int>(GetCurrentProcessId()));
  // Wine runs every program as a member of Administrators, so the test client is an admin.
  EXPECT_EQ(peer.at("windows_admin"), true);
  EXPECT_THAT(peer.at("windows_account").get<std::string>(), HasSubstr("\\"));
}

TEST(NamedPipeListener, EightClientsAtOnceEachGetAnInstance) {
  PipeTestServer daemon;
  // Eight connections open at the same time, before any of them sends a byte.
  std::vector<std::unique_ptr<RawPipe>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<RawPipe>(daemon.path()));
    ASSERT_TRUE(clients.back()->connected()) << "client " << i << ": Win32 error " << clients.back()->dial_error();
  }
  for (auto& client : clients) {
    ASSERT_TRUE(client->write("GET /v1/version HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  }
  for (auto& client : clients) EXPECT_THAT(client->read_to_end(), StartsWith("HTTP/1.1 200 OK"));

  // And eight threads of library clients, several requests each.
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto answer = call(daemon.host(), "GET", "/v1/version");
        if (answer && answer->head.status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST(NamedPipeListener, ClientsThatVanishMidRequestCostOnlyTheirConnection) {
  PipeTestServer daemon;
  for (int i = 0; i < 10; ++i) {
    RawPipe silent(daemon.path());  // connects, says nothing, leaves
    ASSERT_TRUE(silent.connected());
    RawPipe half_header(daemon.path());
    ASSERT_TRUE(half_header.write("GET /v1/version HTTP/1.1\r\nHost: loc"));
    RawPipe half_body(daemon.path());
    ASSERT_TRUE(half_body.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nonly a bit"));
  }  // every one of them closes here, mid-request
  auto after = call(daemon.host(), "GET", "/v1/version");
  ASSERT_TRUE(after) << after.error().error.message;
  EXPECT_EQ(after->head.status, 200);
  EXPECT_TRUE(drains(daemon.server())) << daemon.server().open_connections() << " session(s) still open";
}

TEST(NamedPipeListener, ShutdownRemovesThePipe) {
  PipeTestServer daemon;
  const std::string host = daemon.host();
  ASSERT_TRUE(call(host, "GET", "/v1/version"));
  ASSERT_TRUE(daemon.shutdown());
  auto refused = call(host, "GET", "/v1/version");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().failure, client::Failure::unreachable);
  EXPECT_THAT(refused.error().error.message, HasSubstr("no daemon serves this pipe"));
}

TEST(NamedPipeListener, ASecondListenerOnTheSameNameIsRefused) {
  PipeTestServer daemon;
  boost::asio::io_context io;
  auto second = api::windows::NamedPipeListener::open(io.get_executor(), {daemon.path(), {}});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::already_exists);
  EXPECT_THAT(second.error().message, HasSubstr("another process already serves"));
}

TEST(NamedPipeSecurity, DefaultDaclIsAdministratorsAndSystemOnly) {
  PipeTestServer daemon;
  EXPECT_EQ(daemon.listener().sddl(), "D:P(A;;GA;;;BA)(A;;GA;;;SY)");
  auto descriptor = api::windows::SecurityDescriptor::from_sddl(daemon.listener().sddl());
  ASSERT_TRUE(descriptor) << descriptor.error().message;
  auto text = descriptor->dacl_sddl();
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "D:P(A;;GA;;;BA)(A;;GA;;;SY)");
}

TEST(NamedPipeSecurity, ThePipeObjectCarriesTheDacl) {
  PipeTestServer daemon({"Users"});
  RawPipe client(daemon.path());  // its handle opens the same pipe object, with READ_CONTROL
  ASSERT_TRUE(client.connected());
  auto applied = api::windows::handle_dacl_sddl(client.handle());
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_THAT(*applied, kBaseAndUsers);
}

TEST(NamedPipeSecurity, ConfiguredGroupGetsReadWrite) {
  // BUILTIN\Users exists on every Windows and in every Wine prefix: S-1-5-32-545.
  PipeTestServer daemon({"Users"});
  EXPECT_EQ(daemon.listener().sddl(), "D:P(A;;GA;;;BA)(A;;GA;;;SY)(A;;GRGW;;;S-1-5-32-545)");
  auto descriptor = api::windows::SecurityDescriptor::from_sddl(daemon.listener().sddl());
  ASSERT_TRUE(descriptor) << descriptor.error().message;
  auto text = descriptor->dacl_sddl();
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_THAT(*text, kBaseAndUsers);
  auto version = call(daemon.host(), "GET", "/v1/version");
  ASSERT_TRUE(version) << version.error().error.message;
}

TEST(NamedPipeSecurity, UnknownGroupStopsStartupNamingIt) {
  boost::asio::io_context io;
  auto listener = api::windows::NamedPipeListener::open(io.get_executor(), {unique_pipe_path(), {"silo-no-such-group"}});
  ASSERT_FALSE(listener);
  EXPECT_EQ(listener.error().code, Errc::not_found);
  EXPECT_THAT(listener.error().message, HasSubstr("\"silo-no-such-group\""));
}

}  // namespace
}  // namespace silo::test
