// The API's error answers: unknown route, wrong method, oversized headers and bodies, and how the
// client library reports a refusal versus an absent daemon.
#include "tests/integration/support/fixture.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace silo::testing {
namespace {

using nlohmann::json;

class ErrorAnswers : public DaemonTest {};

TEST_F(ErrorAnswers, UnknownRouteIs404NotFound) {
  const auto r = curl("GET", "/v1/no-such-thing").response;
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["code"], "not_found");
  EXPECT_FALSE(header_value(r, "X-Request-Id").empty());
}

TEST_F(ErrorAnswers, WrongMethodIs405WithAllow) {
  const auto r = curl("POST", "/v1/version").response;
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(header_value(r, "Allow").find("GET"), std::string::npos);
  EXPECT_EQ(json::parse(r.body)["code"], "invalid_argument");
}

TEST_F(ErrorAnswers, OversizedHeadersAre431) {
  const auto r = curl("GET", "/v1/version", {"--header", "X-Padding: " + std::string(64 * 1024, 'a')}).response;
  EXPECT_EQ(r.status, 431);
}

TEST_F(ErrorAnswers, OversizedBodyIs413) {
  const std::string file = scratch() + "/big-body.json";
  std::ofstream(file) << '"' << std::string(2 * 1024 * 1024, 'a') << '"';
  const auto r = curl("GET", "/v1/version",
                      {"--header", "Content-Type: application/json", "--data-binary", "@" + file})
                     .response;
  EXPECT_EQ(r.status, 413);
}

TEST_F(ErrorAnswers, ClientLibraryCarriesTheDaemonsRefusal) {
  client::EventsQuery query;
  query.since = "the day before yesterday";
  const auto result = client().events(query, [](const client::Event&) { return true; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().failure, client::Failure::daemon);
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_EQ(result.error().error.code, Errc::invalid_argument);
  EXPECT_FALSE(result.error().error.message.empty());
  raw("GET", query.target());
}

TEST_F(ErrorAnswers, ClientLibraryTellsAnAbsentDaemonApart) {
  const auto result = client_at("unix://" + scratch() + "/nobody-listens.sock").version();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().failure, client::Failure::unreachable);
}

}  // namespace
}  // namespace silo::testing
