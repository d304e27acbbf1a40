#include "service/access_setup.h"

#include "api/routes/local_groups.h"

#include <unistd.h>

namespace silo::service {

Result<api::RolePolicy> role_policy_for(const DaemonConfig& config) {
  api::RolePolicy policy;
  if (!config.admin_group.empty()) {
    auto group = api::local_group(config.admin_group, "admin-group");
    if (!group) return group.error();
    policy.admin_group = std::move(*group);
  }
  if (!config.operator_group.empty()) {
    auto group = api::local_group(config.operator_group, "operator-group");
    if (!group) return group.error();
    policy.operator_group = std::move(*group);
  }
  if (!config.group.empty()) {
    auto group = api::local_group(config.group, "group");
    if (!group) return group.error();
    policy.socket_group = std::move(*group);
  } else {
    // The socket keeps silod's own group (unix_listener.h), so that group's members reach it.
    policy.socket_group = api::LocalGroup{static_cast<std::uint32_t>(::getegid()), "silod's own group"};
  }
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
  options.groups_of = api::account_groups;
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
