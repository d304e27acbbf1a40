// The client library's parts that need no daemon: host spellings, the events query it sends, and
// NDJSON splitting however the transport cuts the stream. (They live beside the integration tests
// because this suite owns the client library's tests.)
#include "api/client/client.h"
#include "api/client/ndjson.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace silo::client {
namespace {

TEST(HostSpelling, UnixTcpAndPipeParse) {
  auto unix_host = parse_host("unix:///run/silo/silod.sock");
  ASSERT_TRUE(unix_host);
  EXPECT_EQ(unix_host->transport, Transport::unix_socket);
  EXPECT_EQ(unix_host->path, "/run/silo/silod.sock");

  auto tcp = parse_host("tcp://[::1]:2376");
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->hostname, "::1");
  EXPECT_EQ(tcp->port, 2376);
  EXPECT_EQ(tcp->to_string(), "tcp://[::1]:2376");

  auto pipe = parse_host("npipe:////./pipe/silod");
  ASSERT_TRUE(pipe);
  EXPECT_EQ(pipe->path, "\\\\.\\pipe\\silod");
  EXPECT_EQ(pipe->to_string(), "npipe:////./pipe/silod");
}

TEST(HostSpelling, MistakesAreRefusedWithTheExpectedForms) {
  for (const char* bad : {"", "/run/silo.sock", "unix://relative.sock", "tcp://127.0.0.1", "tcp://host:0",
                          "tcp://host:65536", "tcp://host:12ab", "npipe://silod", "http://localhost:80"}) {
    SCOPED_TRACE(bad);
    auto parsed = parse_host(bad);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, Errc::invalid_argument);
    EXPECT_NE(parsed.error().message.find("unix:///path"), std::string::npos);
  }
}

TEST(HostSpelling, FlagThenEnvironmentThenDefault) {
  ::setenv("SILO_HOST", "tcp://127.0.0.1:2375", 1);
  EXPECT_EQ(resolve_host(std::string("unix:///x.sock"))->path, "/x.sock");
  EXPECT_EQ(resolve_host(std::nullopt)->port, 2375);
  ::setenv("SILO_HOST", "", 1);
  EXPECT_EQ(resolve_host(std::nullopt)->to_string(), kDefaultHost);
  ::unsetenv("SILO_HOST");
  EXPECT_EQ(resolve_host(std::nullopt)->to_string(), kDefaultHost);
}

TEST(HostSpelling, NamedPipeOnLinuxSaysWhy) {
  ClientOptions options;
  options.endpoint = parse_host("npipe:////./pipe/silod").value();
  auto result = Client(options).ping();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().failure, Failure::unreachable);
  EXPECT_NE(result.error().error.message.find("only available on Windows"), std::string::npos);
}

TEST(EventsQueryTarget, EncodesTimesAndFilters) {
  EventsQuery query;
  EXPECT_EQ(query.target(), "/v1/events");
  query.since = "2026-01-02T03:04:05+01:00";
  query.filters["type"] = {"container"};
  query.follow = true;
  EXPECT_EQ(query.target(),
            "/v1/events?since=2026-01-02T03%3A04%3A05%2B01%3A00"
            "&filters=%7B%22type%22%3A%5B%22container%22%5D%7D&follow=true");
}

TEST(NdjsonSplitting, LinesSurviveAnyCut) {
  const std::string stream = "{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    NdjsonSplitter splitter(1024);
    std::vector<std::string> lines;
    const auto collect = [&lines](std::string_view line) {
      lines.emplace_back(line);
      return true;
    };
    ASSERT_TRUE(splitter.feed(std::string_view(stream).substr(0, cut), collect));
    ASSERT_TRUE(splitter.feed(std::string_view(stream).substr(cut), collect));
    EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"})) << "cut at " << cut;
    EXPECT_EQ(splitter.pending(), 0u);
  }
}

TEST(NdjsonSplitting, AnOverlongLineIsAnError) {
  NdjsonSplitter splitter(8);
  auto fed = splitter.feed("0123456789", [](std::string_view) { return true; });
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, Errc::invalid_argument);
}

TEST(NdjsonSplitting, TheCallbackCanStopTheStream) {
  NdjsonSplitter splitter(64);
  int calls = 0;
  auto fed = splitter.feed("1\n2\n3\n", [&calls](std::string_view) { return ++calls < 2; });
  ASSERT_TRUE(fed);
  EXPECT_FALSE(*fed);
  EXPECT_EQ(calls, 2);
}

TEST(DaemonErrorBody, CodeAndMessageAreKeptAndNonsenseIsAProtocolError) {
  auto refused = daemon_error(409, R"({"message":"container is running","code":"conflict"})");
  EXPECT_EQ(refused.failure, Failure::daemon);
  EXPECT_EQ(refused.error.code, Errc::conflict);
  EXPECT_EQ(refused.error.message, "container is running");
  EXPECT_EQ(refused.http_status, 409);
  EXPECT_EQ(daemon_error(502, "<html>bad gateway</html>").failure, Failure::protocol);
  EXPECT_EQ(daemon_error(400, R"({"message":"x","code":"no_such_code"})").failure, Failure::protocol);
}

TEST(ResponseDecoding, MissingFieldsAreProtocolErrors) {
  EXPECT_EQ(parse_version(R"({"version":"0.1.0"})").error().failure, Failure::protocol);
  EXPECT_EQ(parse_event("not json").error().failure, Failure::protocol);
  auto event = parse_event(
      R"({"id":7,"time":"2026-01-02T03:04:05.000000001Z","timeNano":1,"type":"container","action":"start",)"
      R"("actor":{"id":"abc","attributes":{"name":"web"}}})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->id, 7);
  EXPECT_EQ(event->attributes.at("name"), "web");
}

}  // namespace
}  // namespace silo::client
