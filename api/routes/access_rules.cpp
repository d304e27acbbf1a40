#include "api/routes/access_rules.h"

#include <array>

namespace silo::api {
namespace {

using http::verb;
constexpr Role kRead = Role::read_only;
constexpr Role kOperate = Role::operator_;
constexpr auto kOnContainer = HostReachTarget::container;
constexpr auto kInContainer = HostReachTarget::container_run;

constexpr std::array kRules{
    AccessRule{verb::get, "/_ping", kRead, "ping", false},
    AccessRule{verb::get, "/v1/version", kRead, "read the version", false},
    AccessRule{verb::get, "/v1/info", kRead, "read host information", false},
    AccessRule{verb::get, "/v1/events", kRead, "read events", false},
    // The trail names who did what from where: operators answer for the containers they run and
    // may see it, read-only clients (dashboards, monitoring) may not.
    AccessRule{verb::get, "/v1/audit", kOperate, "read the audit trail", false},

    AccessRule{verb::post, "/v1/containers", kOperate, "create container", true},
    AccessRule{verb::get, "/v1/containers", kRead, "list containers", false},
    AccessRule{verb::get, "/v1/containers/{id}", kRead, "inspect container", false},
    AccessRule{verb::delete_, "/v1/containers/{id}", kOperate, "remove container", true, kOnContainer},
    AccessRule{verb::post, "/v1/containers/{id}/start", kOperate, "start container", true, kInContainer},
    AccessRule{verb::post, "/v1/containers/{id}/stop", kOperate, "stop container", true, kOnContainer},
    AccessRule{verb::post, "/v1/containers/{id}/restart", kOperate, "restart container", true, kInContainer},
    AccessRule{verb::post, "/v1/containers/{id}/kill", kOperate, "kill container", true, kOnContainer},
    // A POST only because docker's is; it waits and reads, so read-only clients may wait too.
    AccessRule{verb::post, "/v1/containers/{id}/wait", kRead, "wait for container", false},
    AccessRule{verb::get, "/v1/containers/{id}/stats", kRead, "read container stats", false},
    AccessRule{verb::get, "/v1/containers/{id}/logs", kRead, "read container logs", false},

    AccessRule{verb::post, "/v1/containers/{id}/exec", kOperate, "create exec", true, kInContainer},
    // An exec created by an admin in a HostProcess container stays admin-only to start.
    AccessRule{verb::post, "/v1/exec/{id}/start", kOperate, "start exec", true, HostReachTarget::exec},
    AccessRule{verb::get, "/v1/exec/{id}", kRead, "inspect exec", false},
    AccessRule{verb::get, "/v1/exec/{id}/logs", kRead, "read exec logs", false},

    AccessRule{verb::post, "/v1/sandboxes", kOperate, "create sandbox", true},
    AccessRule{verb::get, "/v1/sandboxes", kRead, "list sandboxes", false},
    AccessRule{verb::get, "/v1/sandboxes/{id}", kRead, "inspect sandbox", false},
    AccessRule{verb::delete_, "/v1/sandboxes/{id}", kOperate, "remove sandbox", true},

    AccessRule{verb::post, "/v1/layers", kOperate, "import layer", true},
    AccessRule{verb::get, "/v1/layers", kRead, "list layers", false},
    AccessRule{verb::get, "/v1/layers/{id}", kRead, "inspect layer", false},
    AccessRule{verb::delete_, "/v1/layers/{id}", kOperate, "remove layer", true},
};

}  // namespace

std::span<const AccessRule> access_rules() noexcept { return kRules; }

AccessRule access_rule_for(http::verb method, std::string_view pattern) {
  for (const auto& rule : kRules) {
    if (rule.method == method && rule.pattern == pattern) return rule;
  }
  bool read = method == verb::get || method == verb::head;
  return AccessRule{method, pattern, Role::admin, pattern, !read};
}

std::string refusal_message(Role held, const Request& request, std::string_view action, Role needed) {
  return "role " + std::string(role_name(held)) + " may not " + request.method_text + " " + request.path + " (" +
         std::string(action) + "); needs " + std::string(role_name(needed));
}

}  // namespace silo::api
