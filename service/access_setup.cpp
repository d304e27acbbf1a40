#include "service/access_setup.h"

#include "service/daemon_platform.h"

namespace silo::service {

Result<api::RolePolicy> role_policy_for(const DaemonConfig& config) {
  api::RolePolicy policy;
  SILO_TRY(add_local_roles(config, policy));
  auto tls_roles = api::parse_tls_roles(config.tls_roles);
  if (!tls_roles) return tls_roles.error();
  policy.tls_roles = std::move(*tls_roles);
  return policy;
}

std::shared_ptr<api::RouteAccessControl> make_access_control(api::RolePolicy policy, std::shared_ptr<AuditStore> audit,
                                                             std::shared_ptr<api::BlockingPool> pool,
                                                             std::shared_ptr<services::ContainerService> containers,
                                                             std::shared_ptr<services::ExecService> execs) {
  api::RouteAccessOptions options;
  options.policy = std::move(policy);
  options.groups_of = local_groups_of();
  options.audit = std::move(audit);
  options.pool = std::move(pool);
  options.is_hostprocess_container = [containers](std::string_view ref) {
    auto record = containers->get(ref);
    return record && record->isolation == Isolation::hostprocess;
  };
  options.is_hostprocess_exec = [containers, execs](std::string_view exec_id) {
    auto exec = execs->get(exec_id);
    if (!exec) return false;
    auto record = containers->get(exec->container_id);
    return record && record->isolation == Isolation::hostprocess;
  };
  return std::make_shared<api::RouteAccessControl>(std::move(options));
}

}  // namespace silo::service
