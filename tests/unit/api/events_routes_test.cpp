// GET /v1/events through a real socket: history, filters, bad parameters, and follow mode
// receiving an event published after the request started and ending at `until`.
#include "api/routes/events/events_routes.h"
#include "fake_store.h"
#include "raw_client.h"
#include "test_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

namespace silo::test {
namespace {

using namespace std::chrono_literals;

struct EventsFixture {
  std::shared_ptr<FakeStore> store = std::make_shared<FakeStore>();
  std::shared_ptr<events::EventHub> hub = events::EventHub::create();
  std::shared_ptr<SystemClock> clock = std::make_shared<SystemClock>();
  std::unique_ptr<TestServer> server;

  EventsFixture() {
    auto context = std::make_shared<api::EventsContext>();
    context->store = store;
    context->hub = hub;
    context->clock = clock;
    context->page_size = 2;  // several pages even for a short history
    auto router = std::make_shared<api::Router>();
    api::add_event_routes(*router, context);
    server = std::make_unique<TestServer>(router, api::Limits{});
  }
};

std::vector<nlohmann::json> lines_of(const std::string& body) {
  std::vector<nlohmann::json> out;
  std::size_t start = 0;
  for (auto end = body.find('\n'); end != std::string::npos; start = end + 1, end = body.find('\n', start)) {
    out.push_back(nlohmann::json::parse(body.substr(start, end - start)));
  }
  return out;
}

TEST(EventsRoute, ReturnsStoredEventsAsNdjsonInIdOrderAcrossPages) {
  EventsFixture f;
  for (int i = 0; i < 5; ++i) f.store->add_event("container", i % 2 ? "start" : "create", "c" + std::to_string(i), 1000 + i);
  RawClient client(f.server->socket_path());
  client.send(get_request("/v1/events"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("content-type"), "application/x-ndjson");
  auto lines = lines_of(response->body);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["id"], 1);
  EXPECT_EQ(lines[4]["id"], 5);
  EXPECT_EQ(lines[1]["action"], "start");
  EXPECT_EQ(lines[1]["actor"]["id"], "c1");
  EXPECT_EQ(lines[1]["timeNano"], 1001);
  EXPECT_EQ(lines[1]["time"], "1970-01-01T00:00:00.000001001Z");
}

TEST(EventsRoute, FiltersAndTimeBoundsSelectEvents) {
  EventsFixture f;
  f.store->add_event("container", "create", "a", 1'000'000'000);
  f.store->add_event("container", "start", "a", 2'000'000'000);
  f.store->add_event("layer", "import", "l", 3'000'000'000);
  RawClient client(f.server->socket_path());
  client.send(get_request(R"(/v1/events?filters={"type":["container"],"action":["start"]})"));
  auto lines = lines_of(client.read_response()->body);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["id"], 2);
  client.send(get_request("/v1/events?since=2&until=1970-01-01T00:00:02Z"));
  lines = lines_of(client.read_response()->body);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["id"], 2);
}

TEST(EventsRoute, BadParametersAre400NamingTheParameter) {
  EventsFixture f;
  RawClient client(f.server->socket_path());
  for (std::string query : {"since=yesterday", "until=x", "follow=maybe", "filters=%7B%22colour%22:[%22red%22]%7D", "filters=nope"}) {
    client.send(get_request("/v1/events?" + query));
    auto response = client.read_response();
    ASSERT_TRUE(response) << query;
    EXPECT_EQ(response->status, 400) << query;
    auto body = nlohmann::json::parse(response->body);
    EXPECT_EQ(body["code"], "invalid_argument");
    std::string name = query.substr(0, query.find('='));
    EXPECT_NE(body["message"].get<std::string>().find(name), std::string::npos) << body["message"];
  }
  client.send(get_request("/v1/events?filters=%7B%22colour%22:[]%7D"));
  auto message = nlohmann::json::parse(client.read_response()->body)["message"].get<std::string>();
  EXPECT_NE(message.find("type, action, actor"), std::string::npos) << message;
}

TEST(EventsRoute, FollowDeliversEventsPublishedAfterTheRequestAndEndsAtUntil) {
  EventsFixture f;
  f.store->add_event("container", "create", "old", f.clock->now());
  auto until = f.clock->now() + 1'500'000'000;  // 1.5 s from now
  RawClient client(f.server->socket_path());
  client.send(get_request("/v1/events?follow=true&until=" + format_rfc3339(until)));
  auto head = client.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  auto history = client.read_stream_line();
  ASSERT_TRUE(history);
  EXPECT_EQ(nlohmann::json::parse(*history)["actor"]["id"], "old");

  // Committed after the follower subscribed: arrives live.
  auto event = f.store->add_event("container", "start", "new", f.clock->now());
  f.hub->publish({event});
  auto live = client.read_stream_line();
  ASSERT_TRUE(live);
  EXPECT_EQ(nlohmann::json::parse(*live)["actor"]["id"], "new");

  // Nothing else: the stream ends cleanly once `until` passes.
  EXPECT_FALSE(client.read_stream_line(5s));
  EXPECT_TRUE(client.stream_ended());
  EXPECT_TRUE(client.wait_closed());
}

TEST(EventsRoute, FollowEndsWhenTheHubCloses) {
  EventsFixture f;
  RawClient client(f.server->socket_path());
  client.send(get_request("/v1/events?follow=1"));
  ASSERT_TRUE(client.read_head());
  f.hub->close();
  // The follower sees its stream end with the last chunk, not a timeout. Whether the connection
  // then closes depends on whether the handler had reached wait() (which hands the read side to
  // the peer watcher) before the hub closed; a stream that never waited stays keep-alive, so the
  // connection's fate is not part of the contract asserted here.
  EXPECT_FALSE(client.read_stream_line(5s));
  EXPECT_TRUE(client.stream_ended());
}

TEST(EventsRoute, AFollowerThatDisconnectsIsForgotten) {
  EventsFixture f;
  {
    RawClient client(f.server->socket_path());
    client.send(get_request("/v1/events?follow=1"));
    ASSERT_TRUE(client.read_head());
    EXPECT_EQ(f.hub->subscriber_count(), 1u);
  }
  for (int i = 0; i < 500 && f.hub->subscriber_count() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.hub->subscriber_count(), 0u);
}

}  // namespace
}  // namespace silo::test
