// GET /v1/audit: the audit trail, newest first. Query: since, until (RFC 3339 or Unix seconds, as
// /v1/events takes them), identity (exact), limit (1..1000, default 100).
#pragma once

#include "api/http/router.h"
#include "api/routes/blocking.h"
#include "core/store/audit_store.h"

#include <memory>

namespace silo::api {

inline constexpr std::size_t kDefaultAuditLimit = 100;
inline constexpr std::size_t kMaxAuditLimit = 1000;

struct AuditContext {
  std::shared_ptr<AuditStore> audit;
  std::shared_ptr<BlockingPool> pool;
};

// The store query a request asks for, or invalid_argument naming the parameter.
Result<AuditQuery> parse_audit_query(const QueryParams& params);

void add_audit_routes(Router& router, std::shared_ptr<const AuditContext> context);

}  // namespace silo::api
