// GET /v1/events: history, time bounds, filters and follow, through curl, the client library and
// siloctl. No route creates events yet, so the streams are empty; what is tested is that they are
// well-formed, end when they should, and that bad queries are refused with the reason.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

namespace silo::testing {
namespace {

using nlohmann::json;

class Events : public DaemonTest {
 protected:
  // The events the daemon recorded so far (it may record its own, e.g. at startup).
  std::vector<json> history() {
    const auto r = curl("GET", "/v1/events?until=" + client::url_encode(rfc3339_from_now(0))).response;
    EXPECT_EQ(r.status, 200);
    std::vector<json> events;
    std::istringstream lines(r.body);
    for (std::string line; std::getline(lines, line);) events.push_back(json::parse(line));
    return events;
  }
};

TEST_F(Events, HistoryIsNdjsonAndMatchesInfosLastId) {
  const auto r = curl("GET", "/v1/events").response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type.substr(0, 20), "application/x-ndjson");
  const auto events = history();
  const auto info = client().info();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->events_last_id, events.empty() ? 0 : events.back()["id"].get<std::int64_t>());
}

TEST_F(Events, SinceInTheFutureGivesAnEmptyStream) {
  const auto r = curl("GET", "/v1/events?since=" + client::url_encode(rfc3339_from_now(3600))).response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(Events, SinceAcceptsUnixSecondsWithAFraction) {
  const auto r = curl("GET", "/v1/events?since=1700000000.5&until=1700000001").response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(Events, BadSinceIs400NamingTheParameter) {
  const auto r = curl("GET", "/v1/events?since=yesterday").response;
  EXPECT_EQ(r.status, 400);
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["code"], "invalid_argument");
  EXPECT_NE(body["message"].get<std::string>().find("since"), std::string::npos) << body["message"];
}

TEST_F(Events, UnknownFilterKeyIs400) {
  const auto r = curl("GET", "/v1/events?filters=" + client::url_encode(R"({"color":["red"]})")).response;
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(json::parse(r.body)["message"].get<std::string>().find("color"), std::string::npos);
}

TEST_F(Events, FiltersThatAreNotJsonAre400) {
  EXPECT_EQ(curl("GET", "/v1/events?filters=type%3Dcontainer").response.status, 400);
}

TEST_F(Events, KnownFiltersAreAccepted) {
  const std::string filters = R"({"type":["container"],"action":["start"],"actor":["abc"]})";
  const auto r = curl("GET", "/v1/events?filters=" + client::url_encode(filters)).response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(Events, FollowViaCurlEndsAtUntil) {
  const auto r = curl("GET", "/v1/events?follow=true&since=" + client::url_encode(rfc3339_from_now(0)) +
                                 "&until=" + client::url_encode(rfc3339_from_now(1)))
                     .response;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST_F(Events, FollowViaClientLibraryEndsAtUntil) {
  client::EventsQuery query;
  query.since = rfc3339_from_now(0);
  query.until = rfc3339_from_now(1);
  query.follow = true;
  int seen = 0;
  const auto done = client().events(query, [&seen](const client::Event&) { return ++seen < 1000; });
  EXPECT_TRUE(done) << done.error().error.message;
  EXPECT_EQ(seen, 0);
}

TEST_F(Events, FollowViaSiloctlEndsAtUntil) {
  const auto run = siloctl_here({"events", "--follow", "--since", rfc3339_from_now(0), "--until", rfc3339_from_now(1)});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(Events, SiloctlPrintsTheSameHistoryAsCurl) {
  const auto expected = history();
  const auto run = siloctl_here({"events", "--format", "json", "--until", rfc3339_from_now(0)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<json> printed;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) printed.push_back(json::parse(line));
  EXPECT_EQ(printed, expected);
  ObservedResponse as_body{"GET", "/v1/events", 200, "application/x-ndjson", {}, run.out};
  expect_contract(as_body);
}

}  // namespace
}  // namespace silo::testing
