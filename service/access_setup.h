// Builds the router's access control (api/routes/route_access.h) from silod's configuration: the
// role policy (groups looked up now, so a misspelt group stops silod at start with its name) and
// the audit trail.
#pragma once

#include "api/routes/route_access.h"
#include "core/services/container_service.h"
#include "core/services/exec_service.h"
#include "service/config.h"

#include <memory>

namespace silo::service {

// admin-group, operator-group, the socket group (--group, else silod's own) and tls-roles.
Result<api::RolePolicy> role_policy_for(const DaemonConfig& config);

std::shared_ptr<api::RouteAccessControl> make_access_control(api::RolePolicy policy, std::shared_ptr<AuditStore> audit,
                                                             std::shared_ptr<api::BlockingPool> pool,
                                                             std::shared_ptr<services::ContainerService> containers,
                                                             std::shared_ptr<services::ExecService> execs);

}  // namespace silo::service
