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
  options.container_host_reach = [containers](std::string_view ref, ReachFor purpose) -> std::optional<std::string> {
    auto record = containers->get(ref);
    if (!record) return std::nullopt;  // the handler answers 404
    return containers->host_reach(*record, purpose);
  };
  options.exec_host_reach = [containers, execs](std::string_view exec_id) -> std::optional<std::string> {
    auto exec = execs->get(exec_id);
    if (!exec) return std::nullopt;
    auto record = containers->get(exec->container_id);
    if (!record) return std::nullopt;
    return containers->host_reach(*record, ReachFor::running);
  };
  return std::make_shared<api::RouteAccessControl>(std::move(options));
}

}  // namespace silo::service
