// The authorization table: for every route silod serves, the least role that may call it, what
// the call does (for refusals and the audit trail), and whether it is audited. One table, so the
// whole policy can be read (and tested) in one place; RouteAccessControl enforces it.
#pragma once

#include "api/http/request.h"
#include "core/model/host_access.h"
#include "core/model/identity.h"

#include <span>
#include <string>
#include <string_view>

namespace silo::api {

// What a rule's {id} names when acting on it needs admin if that container reaches the host
// (core/model/host_access.h: a HostProcess container on the host, or a mount outside the
// operator-mount-roots): acting on one acts on the host (an exec runs a new command there).
enum class HostReachTarget {
  none,           // the rule's role applies whatever the path names
  container,      // {id} is a container reference, and the request manages it (stop, kill, remove)
  container_run,  // {id} is a container reference, and the request runs code in it (start, exec)
  exec,           // {id} is an exec id; its container decides, as for container_run
};

struct AccessRule {
  http::verb method;
  std::string_view pattern;  // exactly as the route was added
  Role needs;
  std::string_view action;   // "create container"
  // The request changes state, so it is recorded in the audit trail. Reads are not, and neither
  // is POST .../wait, which only waits for an exit.
  bool mutating;
  HostReachTarget host_reach_target = HostReachTarget::none;
};

std::span<const AccessRule> access_rules() noexcept;

// What a rule's target asks of the container's reach (core/model/host_access.h).
constexpr ReachFor reach_for(HostReachTarget target) noexcept {
  return target == HostReachTarget::container ? ReachFor::managing : ReachFor::running;
}

// The rule of a route, or a fail-closed one for a route the table does not know: admin only,
// audited unless it is a GET or HEAD, named by its method and pattern.
AccessRule access_rule_for(http::verb method, std::string_view pattern);

// "role read-only may not POST /v1/containers (create container); needs operator"
std::string refusal_message(Role held, const Request& request, std::string_view action, Role needed);

}  // namespace silo::api
