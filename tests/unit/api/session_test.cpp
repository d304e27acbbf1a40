// The HTTP session as a client sees it: keep-alive, error shapes, limits, timeouts, request ids,
// and that one misbehaving client never stops the daemon from serving the others.
#include "api/http/error_response.h"
#include "api/json/body.h"
#include "raw_client.h"
#include "test_server.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>
#include <set>
#include <thread>
#include <nlohmann/json.hpp>

namespace silo::test {
namespace {

using namespace std::chrono_literals;
namespace http = api::http;

// Built outside the coroutine below: GCC 12 miscompiles initializer lists inside coroutines.
api::Response slow_answer() { return api::json_response(http::status::ok, nlohmann::json{{"slow", true}}); }

std::shared_ptr<api::Router> test_router(std::size_t json_depth = 8) {
  auto router = std::make_shared<api::Router>();
  router->add_plain(http::verb::get, "/v1/hello", [](const api::Request& r) {
    nlohmann::json body{{"path", r.path}, {"name", r.query.get("name").value_or("")}};
    return api::json_response(http::status::ok, body);
  });
  router->add_plain(http::verb::post, "/v1/echo", [json_depth](const api::Request& r) -> api::Response {
    auto body = api::parse_json_body(r, json_depth);
    if (auto* error = std::get_if<api::Response>(&body)) return *error;
    return api::json_response(http::status::ok, std::get<nlohmann::json>(body));
  });
  // Takes a while, to be in flight during shutdown.
  router->add(http::verb::get, "/v1/slow", [](const api::Request&, api::ResponseWriter& writer) -> api::asio::awaitable<void> {
    auto executor = co_await api::asio::this_coro::executor;
    api::asio::steady_timer timer(executor, 400ms);
    co_await timer.async_wait(api::asio::use_awaitable);
    co_await writer.send(slow_answer());
  });
  return router;
}

api::Limits short_limits() {
  api::Limits limits;
  limits.header_timeout = 300ms;
  limits.body_timeout = 300ms;
  limits.idle_timeout = 2s;
  limits.max_header_bytes = 2048;
  limits.max_body_bytes = 1024;
  limits.max_connections = 8;
  limits.shutdown_grace = 3s;
  return limits;
}

std::string post_json(const std::string& body, const std::string& content_type = "application/json") {
  return "POST /v1/echo HTTP/1.1\r\nHost: silod\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

void expect_error(const std::optional<RawResponse>& response, int status, const std::string& code) {
  ASSERT_TRUE(response) << "no response";
  EXPECT_EQ(response->status, status);
  EXPECT_EQ(response->header("content-type"), "application/json");
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response->body;
  EXPECT_EQ(body.value("code", ""), code);
  EXPECT_FALSE(body.value("message", "").empty());
  EXPECT_FALSE(response->header("x-request-id").empty());
}

// Proves the daemon still serves: a fresh client gets a normal answer.
void expect_serving(const std::string& socket) {
  RawClient other(socket);
  ASSERT_TRUE(other.send(get_request("/v1/hello")));
  auto response = other.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(Session, ServesSeveralRequestsOnOneConnection) {
  TestServer server(test_router(), short_limits());
  RawClient client(server.socket_path());
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send(get_request("/v1/hello?name=a%20b+c")));
    auto response = client.read_response();
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(nlohmann::json::parse(response->body)["name"], "a b c");
    ids.insert(response->header("x-request-id"));
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST(Session, EchoesAValidRequestIdAndReplacesAnInvalidOne) {
  TestServer server(test_router(), short_limits());
  RawClient client(server.socket_path());
  client.send(get_request("/v1/hello", "X-Request-Id: trace-42.a\r\n"));
  EXPECT_EQ(client.read_response()->header("x-request-id"), "trace-42.a");
  client.send(get_request("/v1/hello", "X-Request-Id: bad id{}\r\n"));
  auto replaced = client.read_response()->header("x-request-id");
  EXPECT_EQ(replaced.size(), 32u);
}

TEST(Session, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  TestServer server(test_router(), short_limits());
  RawClient client(server.socket_path());
  client.send(get_request("/v1/nothing"));
  expect_error(client.read_response(), 404, "not_found");
  client.send("DELETE /v1/hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = client.read_response();
  expect_error(response, 405, "invalid_argument");
  EXPECT_EQ(response->header("allow"), "GET");
}

TEST(Session, JsonBodiesNeedJsonContentTypeValidJsonAndBoundedDepth) {
  TestServer server(test_router(4), short_limits());
  RawClient client(server.socket_path());
  client.send(post_json("{\"a\":1}"));
  auto ok = client.read_response();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  client.send(post_json("{\"a\":1}", "text/plain"));
  expect_error(client.read_response(), 415, "invalid_argument");
  client.send(post_json("{\"a\":"));
  expect_error(client.read_response(), 400, "invalid_argument");
  client.send(post_json("[[[[[1]]]]]"));
  expect_error(client.read_response(), 400, "invalid_argument");
  client.send(post_json("[[[[\"[[[[[[\"]]]]"));  // brackets inside strings do not count
  EXPECT_EQ(client.read_response()->status, 200);
}

TEST(Session, OversizedBodyIs413AndOversizedHeaderIs431) {
  TestServer server(test_router(), short_limits());
  {
    RawClient client(server.socket_path());
    client.send(post_json("\"" + std::string(2000, 'x') + "\""));
    expect_error(client.read_response(), 413, "invalid_argument");
  }
  {
    RawClient client(server.socket_path());
    client.send(get_request("/v1/hello", "X-Big: " + std::string(4000, 'y') + "\r\n"));
    expect_error(client.read_response(), 431, "invalid_argument");
  }
  expect_serving(server.socket_path());
}

TEST(Session, SlowHeaderIsCutWhileOthersAreServed) {
  TestServer server(test_router(), short_limits());
  RawClient slow(server.socket_path());
  ASSERT_TRUE(slow.send("GET /v1/hello HTTP/1.1\r\nHo"));
  expect_serving(server.socket_path());
  expect_error(slow.read_response(), 408, "invalid_argument");
  EXPECT_TRUE(slow.wait_closed());
}

TEST(Session, SlowBodyIsCut) {
  TestServer server(test_router(), short_limits());
  RawClient slow(server.socket_path());
  ASSERT_TRUE(slow.send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a"));
  expect_serving(server.socket_path());
  expect_error(slow.read_response(), 408, "invalid_argument");
}

TEST(Session, GarbageAndTruncatedRequestsDoNotStopService) {
  TestServer server(test_router(), short_limits());
  {
    RawClient garbage(server.socket_path());
    garbage.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n", 28));
    expect_error(garbage.read_response(), 400, "invalid_argument");
    EXPECT_TRUE(garbage.wait_closed());
  }
  {
    RawClient truncated(server.socket_path());
    truncated.send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"a\"");
    truncated.shutdown_write();
    expect_error(truncated.read_response(), 400, "invalid_argument");
  }
  {
    RawClient gone(server.socket_path());
    gone.send("GET /v1/hel");
  }  // closed mid-request
  expect_serving(server.socket_path());
}

TEST(Session, ConnectionsOverTheLimitGet503AndAreClosed) {
  auto limits = short_limits();
  limits.max_connections = 2;
  TestServer server(test_router(), limits);
  RawClient first(server.socket_path());
  RawClient second(server.socket_path());
  first.send(get_request("/v1/hello"));
  second.send(get_request("/v1/hello"));
  ASSERT_TRUE(first.read_response());
  ASSERT_TRUE(second.read_response());  // both admitted and open
  RawClient third(server.socket_path());
  expect_error(third.read_response(), 503, "unavailable");
  EXPECT_TRUE(third.wait_closed());
}

TEST(Session, GracefulShutdownFinishesTheRequestInFlight) {
  TestServer server(test_router(), short_limits());
  RawClient busy(server.socket_path());
  ASSERT_TRUE(busy.send(get_request("/v1/slow")));
  RawClient idle(server.socket_path());
  // Wait until the slow request is surely being handled: a request on another connection that
  // completes after it was sent proves the server is reading and dispatching.
  expect_serving(server.socket_path());
  std::thread stopper([&] { EXPECT_TRUE(server.shutdown()); });
  auto response = busy.read_response();
  stopper.join();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(idle.wait_closed());
  RawClient late(server.socket_path());
  EXPECT_FALSE(late.connected());
}

TEST(Session, ExpectContinueGetsAnInterimResponse) {
  TestServer server(test_router(), short_limits());
  RawClient client(server.socket_path());
  client.send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.read_head();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  client.send("{}");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace silo::test
