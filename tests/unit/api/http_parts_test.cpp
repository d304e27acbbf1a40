// The pure parts of the HTTP layer: target parsing, booleans, the Errc->status mapping, routing,
// JSON depth counting.
#include "api/http/error_response.h"
#include "api/http/router.h"
#include "api/http/target.h"
#include "api/json/body.h"

#include <gtest/gtest.h>

namespace silo::api {
namespace {

TEST(Target, DecodesPathAndQueryIncludingUnescapedJson) {
  auto target = parse_target(R"(/v1/a%20b?x=1&filters={"type":["container"]}&x=2&e=%7B%7D)");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->path, "/v1/a b");
  EXPECT_EQ(target->query.get("x"), "2");
  EXPECT_EQ(target->query.get("filters"), R"({"type":["container"]})");
  EXPECT_EQ(target->query.get("e"), "{}");
  EXPECT_FALSE(target->query.get("missing"));
}

TEST(Target, RejectsMalformedEscapesAndNonOriginForms) {
  EXPECT_FALSE(parse_target("/v1/x?a=%zz"));
  EXPECT_FALSE(parse_target("http://host/v1"));
  EXPECT_FALSE(parse_target("v1/relative"));
}

TEST(BoolParam, AcceptsTrueFalseOneZeroOnly) {
  EXPECT_TRUE(*parse_bool_param("follow", "true"));
  EXPECT_TRUE(*parse_bool_param("follow", "1"));
  EXPECT_FALSE(*parse_bool_param("follow", "false"));
  EXPECT_FALSE(*parse_bool_param("follow", "0"));
  auto bad = parse_bool_param("follow", "yes");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("follow=\"yes\""), std::string::npos);
}

TEST(StatusFor, MapsEveryErrc) {
  EXPECT_EQ(status_for(Errc::not_found), http::status::not_found);
  EXPECT_EQ(status_for(Errc::already_exists), http::status::conflict);
  EXPECT_EQ(status_for(Errc::conflict), http::status::conflict);
  EXPECT_EQ(status_for(Errc::failed_precondition), http::status::conflict);
  EXPECT_EQ(status_for(Errc::invalid_argument), http::status::bad_request);
  EXPECT_EQ(status_for(Errc::permission_denied), http::status::forbidden);
  EXPECT_EQ(status_for(Errc::unavailable), http::status::service_unavailable);
  EXPECT_EQ(status_for(Errc::resource_exhausted), http::status::too_many_requests);
  EXPECT_EQ(status_for(Errc::internal), http::status::internal_server_error);
}

TEST(Router, MatchesCapturesAndComputesAllow) {
  Router router;
  router.add_plain(http::verb::get, "/v1/containers/{id}", [](const Request&) { return Response{}; });
  router.add_plain(http::verb::delete_, "/v1/containers/{id}", [](const Request&) { return Response{}; });
  auto found = router.match(http::verb::get, "/v1/containers/abc");
  ASSERT_TRUE(std::holds_alternative<RouteMatch>(found));
  EXPECT_EQ(std::get<RouteMatch>(found).path_params.at(0).second, "abc");
  auto wrong = router.match(http::verb::post, "/v1/containers/abc");
  ASSERT_TRUE(std::holds_alternative<Response>(wrong));
  EXPECT_EQ(std::get<Response>(wrong).status, http::status::method_not_allowed);
  EXPECT_EQ(std::get<Response>(wrong).headers.at(0).second, "GET, DELETE");
  auto missing = router.match(http::verb::get, "/v1/containers/");
  EXPECT_EQ(std::get<Response>(missing).status, http::status::not_found);
}

TEST(JsonDepth, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_nesting_depth("1", 10), 0u);
  EXPECT_EQ(json_nesting_depth(R"({"a":[{"b":[]}]})", 10), 4u);
  EXPECT_EQ(json_nesting_depth(R"(["[[[[\"[[["])", 10), 1u);
  EXPECT_GT(json_nesting_depth(std::string(100000, '['), 64), 64u);
}

}  // namespace
}  // namespace silo::api
