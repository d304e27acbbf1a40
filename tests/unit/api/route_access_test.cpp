// Authorization and audit in the router (api/routes/route_access.h, access_rules.h): every route
// silod serves has a rule; each role gets exactly what the table says, refusals are 403 naming the
// role, the action and the role needed; HostProcess targets need admin; mutating requests leave
// one audit entry with who, what and the status, reads leave none.
#include "api/http/router.h"
#include "api/routes/access_rules.h"
#include "api/routes/audit/audit_routes.h"
#include "api/routes/containers/containers_context.h"
#include "api/routes/events/events_routes.h"
#include "api/routes/layers/layer_routes.h"
#include "api/routes/route_access.h"
#include "api/routes/system/system_routes.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <set>

namespace silo::api {
namespace {

using nlohmann::json;

// Records what a handler answered.
class RecordingWriter final : public ResponseWriter {
 public:
  asio::awaitable<void> send(Response response) override {
    sent = std::move(response);
    co_return;
  }
  asio::awaitable<bool> begin_stream(http::status status, std::string) override {
    sent = Response{status, "application/json", "", {}};
    co_return true;
  }
  asio::awaitable<bool> write_chunk(std::string data) override {
    sent.body += data;
    co_return true;
  }
  asio::awaitable<void> end_stream() override { co_return; }
  std::function<void()> waker() override { return [] {}; }
  asio::awaitable<WakeReason> wait(std::optional<std::chrono::nanoseconds>) override { co_return WakeReason::closing; }

  Response sent;
};

class MemoryAudit final : public AuditStore {
 public:
  Result<AuditEntry> append_audit(const AuditEntry& entry) override {
    std::lock_guard lock(mutex);
    if (fail) return make_error(Errc::unavailable, "disk full");
    entries.push_back(entry);
    entries.back().id = static_cast<std::int64_t>(entries.size());
    return entries.back();
  }
  Result<std::vector<AuditEntry>> list_audit(const AuditQuery&) override { return entries; }

  std::mutex mutex;
  std::vector<AuditEntry> entries;
  bool fail = false;
};

// A router with every route of the table, each answering 200 (201 with an id for creates).
std::shared_ptr<Router> table_router() {
  auto router = std::make_shared<Router>();
  for (const auto& rule : access_rules()) {
    bool create = rule.method == http::verb::post && !std::string(rule.pattern).ends_with("}") &&
                  std::string(rule.pattern).find('{') == std::string::npos;
    router->add_plain(rule.method, std::string(rule.pattern), [create](const Request& request) {
      Response response;
      response.status = create ? http::status::created : http::status::ok;
      response.body = json{{"id", create ? "c0ffee" : ""}, {"identity", request.identity.name}}.dump();
      return response;
    });
  }
  return router;
}

PeerIdentity tls_peer(const std::string& role) {
  PeerIdentity peer;
  peer.transport = "tls";
  peer.remote_address = "192.0.2.7:51234";
  peer.tls_subject = "CN=client,OU=" + role;
  peer.tls_organizational_units = {role};
  return peer;
}

constexpr std::string_view kHostProcessReach = "it is a HostProcess container, which runs with host privileges";
constexpr std::string_view kUnresolvedReach = "mounts[0].source \"/srv/gone\" cannot be resolved on the host";
constexpr std::string_view kMountReach =
    "mounts[0].source \"/etc\" resolves to \"/etc\", outside operator-mount-roots (none configured)";

class RouteAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router = table_router();
    RouteAccessOptions options;
    options.audit = audit;
    options.container_host_reach = [](std::string_view ref, ReachFor purpose) -> std::optional<std::string> {
      if (ref == "host-agent") return std::string(kHostProcessReach);
      if (ref == "etc-reader") return std::string(kMountReach);
      // Its folder is gone: running it is refused, managing it is not.
      if (ref == "folder-gone" && purpose == ReachFor::running) return std::string(kUnresolvedReach);
      return std::nullopt;
    };
    options.exec_host_reach = [](std::string_view exec_id) -> std::optional<std::string> {
      if (exec_id == "host-agent-exec") return std::string(kHostProcessReach);
      return std::nullopt;
    };
    router->set_access_control(std::make_shared<RouteAccessControl>(std::move(options)));
  }

  Response call(const std::string& role, http::verb method, const std::string& path) {
    Request request;
    request.method = method;
    request.method_text = std::string(http::to_string(method));
    request.target = path;
    request.path = path;
    request.request_id = "rid-1";
    request.peer = tls_peer(role);
    RecordingWriter writer;
    asio::io_context io;
    auto done = asio::co_spawn(io, dispatch(*router, request, writer), asio::use_future);
    io.run();
    done.get();
    return writer.sent;
  }

  std::shared_ptr<Router> router;
  std::shared_ptr<MemoryAudit> audit = std::make_shared<MemoryAudit>();
};

TEST(AccessRules, EveryRouteSilodServesHasARule) {
  Router router;
  add_system_routes(router, std::make_shared<SystemContext>());
  add_event_routes(router, std::make_shared<EventsContext>());
  auto containers = std::make_shared<ContainersContext>();
  add_container_routes(router, containers);
  add_sandbox_routes(router, containers);
  add_exec_routes(router, containers);
  add_layer_routes(router, std::make_shared<LayersContext>());
  add_audit_routes(router, std::make_shared<AuditContext>());
  std::set<std::pair<std::string, std::string>> ruled;
  for (const auto& rule : access_rules()) ruled.emplace(http::to_string(rule.method), rule.pattern);
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : router.routes()) served.emplace(http::to_string(route.method), route.pattern);
  EXPECT_EQ(served, ruled);
}

TEST(AccessRules, ReadsNeedReadOnlyChangesNeedOperator) {
  for (const auto& rule : access_rules()) {
    std::string route = std::string(http::to_string(rule.method)) + " " + std::string(rule.pattern);
    if (rule.pattern == "/v1/audit") {
      EXPECT_EQ(rule.needs, Role::operator_) << route;
    } else if (rule.method == http::verb::get || rule.pattern == "/v1/containers/{id}/wait") {
      EXPECT_EQ(rule.needs, Role::read_only) << route;
      EXPECT_FALSE(rule.mutating) << route;
    } else {
      EXPECT_EQ(rule.needs, Role::operator_) << route;
      EXPECT_TRUE(rule.mutating) << route;
    }
  }
}

TEST(AccessRules, ARouteMissingFromTheTableNeedsAdmin) {
  auto rule = access_rule_for(http::verb::put, "/v1/config");
  EXPECT_EQ(rule.needs, Role::admin);
  EXPECT_TRUE(rule.mutating);
  EXPECT_EQ(rule.action, "/v1/config");
}

TEST_F(RouteAccessTest, ReadOnlyMayReadButNotChange) {
  EXPECT_EQ(call("read-only", http::verb::get, "/v1/containers").status, http::status::ok);
  EXPECT_EQ(call("read-only", http::verb::post, "/v1/containers/web/wait").status, http::status::ok);
  auto refused = call("read-only", http::verb::post, "/v1/containers");
  EXPECT_EQ(refused.status, http::status::forbidden);
  EXPECT_EQ(json::parse(refused.body),
            (json{{"message", "role read-only may not POST /v1/containers (create container); needs operator"},
                  {"code", "permission_denied"}}));
  EXPECT_EQ(call("read-only", http::verb::delete_, "/v1/layers/abc").status, http::status::forbidden);
  EXPECT_EQ(call("read-only", http::verb::get, "/v1/audit").status, http::status::forbidden);
}

TEST_F(RouteAccessTest, OperatorManagesContainersButNotHostProcessOnes) {
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers").status, http::status::created);
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers/web/exec").status, http::status::ok);
  EXPECT_EQ(call("operator", http::verb::get, "/v1/audit").status, http::status::ok);
  auto refused = call("operator", http::verb::post, "/v1/containers/host-agent/exec");
  EXPECT_EQ(refused.status, http::status::forbidden);
  EXPECT_EQ(json::parse(refused.body).at("message"),
            "role operator may not POST /v1/containers/host-agent/exec (create exec: it is a HostProcess container, "
            "which runs with host privileges); needs admin");
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers/host-agent/stop").status, http::status::forbidden);
}

TEST_F(RouteAccessTest, OperatorMayNotActOnAContainerWhoseMountsReachTheHost) {
  for (const char* action : {"start", "stop", "restart", "kill", "exec"}) {
    auto refused = call("operator", http::verb::post, std::string("/v1/containers/etc-reader/") + action);
    EXPECT_EQ(refused.status, http::status::forbidden) << action;
  }
  auto refused = call("operator", http::verb::delete_, "/v1/containers/etc-reader");
  EXPECT_EQ(refused.status, http::status::forbidden);
  EXPECT_EQ(json::parse(refused.body).at("message"),
            "role operator may not DELETE /v1/containers/etc-reader (remove container: mounts[0].source \"/etc\" "
            "resolves to \"/etc\", outside operator-mount-roots (none configured)); needs admin");
  // A container whose folder vanished may still be managed by an operator, not run.
  EXPECT_EQ(call("operator", http::verb::delete_, "/v1/containers/folder-gone").status, http::status::ok);
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers/folder-gone/stop").status, http::status::ok);
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers/folder-gone/start").status, http::status::forbidden);
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers/folder-gone/exec").status, http::status::forbidden);
  // Reading it needs nothing more than reading any other container.
  EXPECT_EQ(call("read-only", http::verb::get, "/v1/containers/etc-reader").status, http::status::ok);
  EXPECT_EQ(call("admin", http::verb::post, "/v1/containers/etc-reader/start").status, http::status::ok);
}

TEST_F(RouteAccessTest, AnExecInAHostProcessContainerStartsOnlyForAnAdmin) {
  EXPECT_EQ(call("operator", http::verb::post, "/v1/exec/web-exec/start").status, http::status::ok);
  auto refused = call("operator", http::verb::post, "/v1/exec/host-agent-exec/start");
  EXPECT_EQ(refused.status, http::status::forbidden);
  EXPECT_EQ(json::parse(refused.body).at("message"),
            "role operator may not POST /v1/exec/host-agent-exec/start (start exec: it is a HostProcess container, "
            "which runs with host privileges); needs admin");
  EXPECT_EQ(call("admin", http::verb::post, "/v1/exec/host-agent-exec/start").status, http::status::ok);
}

TEST_F(RouteAccessTest, AdminMayDoEverything) {
  for (const auto& rule : access_rules()) {
    std::string path(rule.pattern);
    if (auto brace = path.find("{id}"); brace != std::string::npos) path.replace(brace, 4, "host-agent");
    auto status = call("admin", rule.method, path).status;
    EXPECT_TRUE(status == http::status::ok || status == http::status::created) << path;
  }
}

TEST_F(RouteAccessTest, HandlersSeeTheIdentityTheCheckDecidedOn) {
  auto answer = call("operator", http::verb::get, "/v1/containers");
  EXPECT_EQ(json::parse(answer.body).at("identity"), "CN=client,OU=operator");
}

TEST_F(RouteAccessTest, MutatingRequestsAreAuditedWithWhoWhatAndResult) {
  call("operator", http::verb::post, "/v1/containers");
  call("read-only", http::verb::post, "/v1/containers/web/start");
  call("operator", http::verb::get, "/v1/containers");           // a read: not audited
  call("read-only", http::verb::post, "/v1/containers/web/wait");  // waits: not audited
  call("operator", http::verb::post, "/v1/nowhere");               // unknown, but an attempt to change
  ASSERT_EQ(audit->entries.size(), 3u);
  const auto& created = audit->entries[0];
  EXPECT_EQ(created.identity, "CN=client,OU=operator");
  EXPECT_EQ(created.role, "operator");
  EXPECT_EQ(created.transport, "tls");
  EXPECT_EQ(created.remote, "192.0.2.7:51234");
  EXPECT_EQ(created.method, "POST");
  EXPECT_EQ(created.route, "/v1/containers");
  EXPECT_EQ(created.path, "/v1/containers");
  EXPECT_EQ(created.target_id, "c0ffee");
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.request_id, "rid-1");
  const auto& refused = audit->entries[1];
  EXPECT_EQ(refused.role, "read-only");
  EXPECT_EQ(refused.route, "/v1/containers/{id}/start");
  EXPECT_EQ(refused.path, "/v1/containers/web/start");
  EXPECT_EQ(refused.target_id, "web");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(audit->entries[2].route, "");
  EXPECT_EQ(audit->entries[2].status, 404);
}

TEST_F(RouteAccessTest, AFailedAuditWriteLeavesTheAnswerAsItWas) {
  audit->fail = true;
  EXPECT_EQ(call("operator", http::verb::post, "/v1/containers").status, http::status::created);
}

}  // namespace
}  // namespace silo::api
