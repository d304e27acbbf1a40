// The audit trail contract: one row per mutating API request (who, from where, what, result).
// Separate from MetadataStore because nothing in core writes it and its rows are not state: the
// router appends them after a handler answered (api/routes/audit.h), the audit route reads them.
#pragma once

#include "core/clock.h"
#include "core/errors.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace silo {

struct AuditEntry {
  std::int64_t id = 0;    // assigned by the store; only grows
  TimeNs time = 0;        // stamped by the store's clock when appended
  std::string identity;   // "uid 1000", "CN=ops-laptop,OU=operator"
  std::string role;       // "admin", "operator", "read-only"
  std::string transport;  // "unix", "tls", "npipe", "tcp"
  std::string remote;     // "192.0.2.7:51234", or the local peer ("uid=1000 gid=1000 pid=42")
  std::string method;     // "POST"
  std::string route;      // the route template, "/v1/containers/{id}/start"; empty when no route matched
  std::string path;       // the concrete path, "/v1/containers/web/start"
  std::string target_id;  // the object acted on, when known: the {id} of the path or the created id
  int status = 0;         // the HTTP status answered
  std::string request_id;
};

struct AuditQuery {
  std::optional<TimeNs> since;          // time >= since
  std::optional<TimeNs> until;          // time <= until
  std::optional<std::string> identity;  // exactly this identity
  std::size_t limit = 100;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends durably; the returned entry carries its id and time.
  virtual Result<AuditEntry> append_audit(const AuditEntry& entry) = 0;
  // Newest first, at most query.limit entries.
  virtual Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) = 0;
};

}  // namespace silo
