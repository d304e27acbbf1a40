// The unix socket transport's file handling: mode, live-daemon refusal, stale-socket replacement,
// never deleting what is not a socket, and the peer's credentials reaching handlers.
#include "api/http/error_response.h"
#include "api/transport/unix_listener.h"
#include "raw_client.h"
#include "test_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

namespace silo::test {
namespace {

namespace http = api::http;

std::shared_ptr<api::Router> whoami_router() {
  auto router = std::make_shared<api::Router>();
  router->add_plain(http::verb::get, "/whoami", [](const api::Request& r) {
    nlohmann::json body{{"uid", r.peer.uid.value_or(99999)}, {"pid", r.peer.pid.value_or(-1)}, {"transport", r.peer.transport}};
    return api::json_response(http::status::ok, body);
  });
  return router;
}

// A socket file whose owner died without removing it.
void make_stale_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ::close(fd);
}

TEST(UnixListener, SocketHasMode0660AndPeerCredentialsReachHandlers) {
  TestServer server(whoami_router(), api::Limits{});
  struct stat info {};
  ASSERT_EQ(::stat(server.socket_path().c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);
  RawClient client(server.socket_path());
  client.send(get_request("/whoami"));
  auto body = nlohmann::json::parse(client.read_response()->body);
  EXPECT_EQ(body["uid"], ::getuid());
  EXPECT_EQ(body["pid"], ::getpid());
  EXPECT_EQ(body["transport"], "unix");
}

TEST(UnixListener, RefusesASocketALiveDaemonAnswersOn) {
  TestServer server(whoami_router(), api::Limits{});
  boost::asio::io_context io;
  auto second = api::UnixListener::open(io.get_executor(), {server.socket_path(), "", 0660});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::already_exists);
  EXPECT_NE(second.error().message.find("another daemon is already serving"), std::string::npos);
  RawClient client(server.socket_path());  // and the first one still serves
  client.send(get_request("/whoami"));
  EXPECT_EQ(client.read_response()->status, 200);
}

TEST(UnixListener, ReplacesAStaleSocketButNeverARegularFile) {
  auto dir = make_temp_dir();
  boost::asio::io_context io;
  auto stale = (dir / "stale.sock").string();
  make_stale_socket(stale);
  auto listener = api::UnixListener::open(io.get_executor(), {stale, "", 0660});
  ASSERT_TRUE(listener) << listener.error().message;
  RawClient client(stale);
  EXPECT_TRUE(client.connected());

  auto regular = (dir / "file.sock").string();
  std::ofstream(regular) << "keep me";
  auto refused = api::UnixListener::open(io.get_executor(), {regular, "", 0660});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("is not a socket"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_regular_file(regular));
  std::filesystem::remove_all(dir);
}

TEST(UnixListener, HostMustBeAnAbsoluteUnixUrl) {
  EXPECT_EQ(*api::unix_socket_path("unix:///run/silo/silod.sock"), "/run/silo/silod.sock");
  EXPECT_FALSE(api::unix_socket_path("tcp://0.0.0.0:2375"));
  EXPECT_FALSE(api::unix_socket_path("unix://relative.sock"));
  EXPECT_FALSE(api::unix_socket_path("unix:///" + std::string(200, 'a')));
}

TEST(UnixListener, ClosingRemovesItsSocketFile) {
  std::string path;
  {
    TestServer server(whoami_router(), api::Limits{});
    path = server.socket_path();
    EXPECT_TRUE(server.shutdown());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace silo::test
