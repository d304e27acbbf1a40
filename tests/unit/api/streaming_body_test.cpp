// Streaming-body routes (Router::add_streaming): the handler reads the body piece by piece, beyond
// the JSON body limit, under its own limit and the per-read body timeout; a connection whose body
// was fully read stays usable, one whose body was left unread is closed.
#include "api/http/body_reader.h"
#include "api/http/error_response.h"
#include "raw_client.h"
#include "test_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>

namespace silo::test {
namespace {

using namespace std::chrono_literals;
namespace http = api::http;

struct Seen {
  std::atomic<int> client_gone{0};
};

api::Response counted(std::size_t bytes, std::size_t reads) {
  return api::json_response(http::status::ok, nlohmann::json{{"bytes", bytes}, {"reads", reads}});
}

// Counts body bytes; answers the body failure's own response when the body breaks.
api::asio::awaitable<void> count_body(const api::Request& request, api::ResponseWriter& writer, std::shared_ptr<Seen> seen) {
  std::string buffer(64 * 1024, '\0');
  std::size_t total = 0;
  std::size_t reads = 0;
  for (int guard = 0; guard < 100'000; ++guard) {
    auto got = co_await request.body_reader->read_some(buffer);
    if (!got.ok) {
      ++seen->client_gone;  // any broken body: a hang-up reads as a partial message
      api::Response failed = got.answer ? *got.answer : api::error_response(http::status::bad_request, Errc::invalid_argument, "gone");
      co_await writer.send(std::move(failed));
      co_return;
    }
    if (got.bytes == 0) break;
    total += got.bytes;
    ++reads;
  }
  co_await writer.send(counted(total, reads));
}

std::shared_ptr<api::Router> streaming_router(std::shared_ptr<Seen> seen) {
  auto router = std::make_shared<api::Router>();
  router->add_streaming(http::verb::post, "/v1/upload",
                        [seen](const api::Request& r, api::ResponseWriter& w) { return count_body(r, w, seen); }, 8 << 20);
  // Answers without reading its body.
  router->add_streaming(http::verb::post, "/v1/refuse", [](const api::Request&, api::ResponseWriter& w) -> api::asio::awaitable<void> {
    co_await w.send(api::error_response(http::status::bad_request, Errc::invalid_argument, "refused unread"));
  }, 8 << 20);
  router->add_plain(http::verb::get, "/v1/hello", [](const api::Request&) { return api::json_response(http::status::ok, nlohmann::json{{"hi", 1}}); });
  return router;
}

api::Limits limits() {
  api::Limits l;
  l.max_body_bytes = 1024;  // JSON routes: far below what the streaming route accepts
  l.body_timeout = 500ms;
  return l;
}

std::string upload(const std::string& target, std::size_t length) {
  return "POST " + target + " HTTP/1.1\r\nHost: silod\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
         std::to_string(length) + "\r\n\r\n";
}

nlohmann::json json_of(const std::optional<RawResponse>& response) {
  return response ? nlohmann::json::parse(response->body, nullptr, false) : nlohmann::json();
}

TEST(StreamingBody, ReadsABodyFarOverTheJsonLimitAndKeepsTheConnection) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  std::size_t size = 3 << 20;
  ASSERT_TRUE(client.send(upload("/v1/upload", size)));
  std::string piece(64 * 1024, 'x');
  for (std::size_t sent = 0; sent < size; sent += piece.size()) ASSERT_TRUE(client.send(piece));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(json_of(response)["bytes"], size);
  EXPECT_GT(json_of(response)["reads"].get<int>(), 1);  // it came in pieces, not whole
  ASSERT_TRUE(client.send("GET /v1/hello HTTP/1.1\r\nHost: silod\r\n\r\n"));
  auto again = client.read_response();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST(StreamingBody, ChunkedBodiesAreDechunked) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send("POST /v1/upload HTTP/1.1\r\nHost: silod\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(json_of(response)["bytes"], 11);
}

TEST(StreamingBody, DeclaredLengthOverTheRouteLimitIs413BeforeAnyBody) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send(upload("/v1/upload", 9 << 20)));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("8388608"), std::string::npos) << response->body;
}

TEST(StreamingBody, ChunkedBodyOverTheRouteLimitIs413) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send("POST /v1/upload HTTP/1.1\r\nHost: silod\r\nTransfer-Encoding: chunked\r\n\r\n"));
  std::string chunk(1 << 20, 'y');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  bool refused = false;
  for (int i = 0; i < 10 && !refused; ++i) refused = !client.send(size_line + chunk + "\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST(StreamingBody, JsonRoutesKeepTheirOwnLimit) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send("POST /v1/hello HTTP/1.1\r\nHost: silod\r\nContent-Length: 5000\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST(StreamingBody, AnswerBeforeReadingTheBodyClosesTheConnection) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send(upload("/v1/refuse", 100'000) + std::string(1000, 'z')));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(client.wait_closed());
}

TEST(StreamingBody, StalledBodyIs408) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  RawClient client(server.socket_path());
  ASSERT_TRUE(client.send(upload("/v1/upload", 10'000) + std::string(100, 'z')));
  auto response = client.read_response(5s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 408);
}

TEST(StreamingBody, ClientLeavingMidBodyIsSeenByTheHandler) {
  auto seen = std::make_shared<Seen>();
  TestServer server(streaming_router(seen), limits());
  {
    RawClient client(server.socket_path());
    ASSERT_TRUE(client.send(upload("/v1/upload", 1'000'000) + std::string(5000, 'z')));
  }
  for (int i = 0; i < 200 && seen->client_gone.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(seen->client_gone.load(), 1);
  RawClient other(server.socket_path());
  ASSERT_TRUE(other.send("GET /v1/hello HTTP/1.1\r\nHost: silod\r\n\r\n"));
  auto response = other.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace silo::test
