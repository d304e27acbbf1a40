#include "api/routes/route_access.h"

#include "api/http/error_response.h"
#include "api/http/router.h"
#include "core/logging.h"

#include <nlohmann/json.hpp>

namespace silo::api {
namespace {

constexpr std::size_t kMaxBodyForTargetId = 64 * 1024;

// The object a request acted on: the path's {id}, or the id of what it created (201 body).
std::string target_id_of(const Request& request, http::status status, const std::string& body) {
  if (auto id = request.path_param("id")) return *id;
  if (status != http::status::created || body.empty() || body.size() > kMaxBodyForTargetId) return {};
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return {};
  auto id = parsed.find("id");
  return id != parsed.end() && id->is_string() ? id->get<std::string>() : std::string();
}

std::string remote_of(const PeerIdentity& peer) {
  if (!peer.remote_address.empty()) return peer.remote_address;
  std::string out;
  if (peer.uid) out += "uid=" + std::to_string(*peer.uid);
  if (peer.gid) out += (out.empty() ? "" : " ") + std::string("gid=") + std::to_string(*peer.gid);
  if (peer.pid) out += (out.empty() ? "" : " ") + std::string("pid=") + std::to_string(*peer.pid);
  if (!peer.windows_account.empty()) out += (out.empty() ? "" : " ") + peer.windows_account;
  return out;
}

}  // namespace

void RouteAccessControl::identify(Request& request) {
  std::shared_ptr<const RolePolicy> policy;
  {
    std::lock_guard lock(policy_mutex_);
    policy = policy_;
  }
  request.identity = identity_of(request.peer, *policy, options_.groups_of);
}

std::optional<Response> RouteAccessControl::authorize(Request& request, const Route* route) {
  identify(request);
  if (!route) return std::nullopt;
  const AccessRule rule = access_rule_for(route->method, route->pattern);
  Role needs = rule.needs;
  std::string action(rule.action);
  // Only for a caller the rule admits anyway: the reach is looked up (the store, host paths) only
  // when it can change the answer.
  if (!request.identity.is_admin() && role_allows(request.identity.role, needs)) {
    if (auto reach = host_reach_of_target(rule, request)) {
      needs = Role::admin;
      action += ": " + *reach;
    }
  }
  if (role_allows(request.identity.role, needs)) return std::nullopt;
  logging::get("api")->warn("refused {} {} to {} (role {}; needs {}) (rid={})", request.method_text, request.path,
                            request.identity.name, role_name(request.identity.role), role_name(needs),
                            request.request_id);
  return error_response(http::status::forbidden, Errc::permission_denied,
                        refusal_message(request.identity.role, request, action, needs));
}

void RouteAccessControl::set_policy(RolePolicy policy) {
  auto fresh = std::make_shared<const RolePolicy>(std::move(policy));
  std::lock_guard lock(policy_mutex_);
  policy_ = std::move(fresh);
}

std::optional<std::string> RouteAccessControl::host_reach_of_target(const AccessRule& rule, const Request& request) const {
  auto id = request.path_param("id");
  if (!id) return std::nullopt;
  switch (rule.host_reach_target) {
    case HostReachTarget::none:
      return std::nullopt;
    case HostReachTarget::container:
    case HostReachTarget::container_run:
      return options_.container_host_reach ? options_.container_host_reach(*id, reach_for(rule.host_reach_target))
                                           : std::nullopt;
    case HostReachTarget::exec:
      return options_.exec_host_reach ? options_.exec_host_reach(*id) : std::nullopt;
  }
  return std::nullopt;
}

bool RouteAccessControl::audited(const Request& request, const Route* route) const {
  if (!options_.audit) return false;
  if (route) return access_rule_for(route->method, route->pattern).mutating;
  return request.method != http::verb::get && request.method != http::verb::head;
}

AuditEntry RouteAccessControl::audit_entry(const Request& request, const Route* route, http::status status,
                                           const std::string& body) {
  AuditEntry entry;
  entry.identity = request.identity.name;
  entry.role = std::string(role_name(request.identity.role));
  entry.transport = request.peer.transport;
  entry.remote = remote_of(request.peer);
  entry.method = request.method_text;
  entry.route = route ? route->pattern : std::string();
  entry.path = request.path;
  entry.target_id = target_id_of(request, status, body);
  entry.status = static_cast<int>(status);
  entry.request_id = request.request_id;
  return entry;
}

// Written after the answer, because only then is the status known. A failed write is logged at
// error level and does not change the answer: by now the change is committed and the response is
// on its way, so answering 500 would tell the client a create failed that succeeded (and invite a
// retry that creates it twice), while the log line keeps the trail's gap visible to the operator.
asio::awaitable<void> RouteAccessControl::record(const Request& request, const Route* route, http::status status,
                                                 const std::string& body) {
  auto entry = audit_entry(request, route, status, body);
  auto store = options_.audit;
  auto append = [store, entry]() {
    auto appended = store->append_audit(entry);
    Response result;
    if (!appended) {
      result.status = http::status::internal_server_error;
      result.body = appended.error().message;
    }
    return result;
  };
  // An if, not a conditional expression: GCC 12 mishandles temporaries of a ?: around co_await.
  Response outcome;
  if (options_.pool) {
    outcome = co_await run_blocking(*options_.pool, append);
  } else {
    outcome = append();
  }
  if (outcome.status != http::status::ok) {
    logging::get("audit")->error("AUDIT RECORD LOST: {} {} by {} ({}) answered {}: {} (rid={})", entry.method,
                                 entry.path, entry.identity, entry.role, entry.status, outcome.body, entry.request_id);
  }
}

}  // namespace silo::api
