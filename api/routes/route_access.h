// The AccessControl silod installs on its router (api/http/access_control.h): maps the peer to an
// Identity (authorization.h), refuses what its role may not do (access_rules.h) with 403, and
// appends every mutating request to the audit trail (core/store/audit_store.h) once answered.
#pragma once

#include "api/http/access_control.h"
#include "api/routes/access_rules.h"
#include "api/routes/authorization.h"
#include "api/routes/blocking.h"
#include "core/store/audit_store.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace silo::api {

struct RouteAccessOptions {
  RolePolicy policy;
  GroupsOf groups_of;                  // the host's account database (local_groups.h) in silod
  std::shared_ptr<AuditStore> audit;   // none: nothing is recorded
  std::shared_ptr<BlockingPool> pool;  // audit writes (an fsync each) run here, never on io threads
  // Why the container a reference names reaches the host (ContainerService::host_reach), or
  // nullopt (also when there is no such container).
  std::function<std::optional<std::string>(std::string_view ref, ReachFor purpose)> container_host_reach;
  // The same for the container an exec id belongs to.
  std::function<std::optional<std::string>(std::string_view exec_id)> exec_host_reach;
};

class RouteAccessControl final : public AccessControl {
 public:
  explicit RouteAccessControl(RouteAccessOptions options)
      : options_(std::move(options)), policy_(std::make_shared<const RolePolicy>(options_.policy)) {}

  // Replaces the role mapping for requests authorized from now on (silod's SIGHUP).
  void set_policy(RolePolicy policy);

  std::optional<Response> authorize(Request& request, const Route* route) override;
  void identify(Request& request) override;
  bool audited(const Request& request, const Route* route) const override;
  asio::awaitable<void> record(const Request& request, const Route* route, http::status status,
                               const std::string& body) override;

  // The entry record() appends (public for tests).
  static AuditEntry audit_entry(const Request& request, const Route* route, http::status status,
                                const std::string& body);

 private:
  std::optional<std::string> host_reach_of_target(const AccessRule& rule, const Request& request) const;
  RouteAccessOptions options_;
  std::mutex policy_mutex_;
  std::shared_ptr<const RolePolicy> policy_;  // guarded by policy_mutex_; requests keep the one they read
};

}  // namespace silo::api
