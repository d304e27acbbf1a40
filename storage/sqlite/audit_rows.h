// Audit rows: the append-only audit table (schema_v2.h).
#pragma once

#include "core/store/audit_store.h"
#include "storage/sqlite/connection.h"

namespace silo::storage::sqlite {

Result<AuditEntry> append_audit_row(Connection& connection, TimeNs time, const AuditEntry& entry);
// Newest first (by id, which follows time), at most query.limit rows.
Result<std::vector<AuditEntry>> list_audit_rows(Connection& connection, const AuditQuery& query);

}  // namespace silo::storage::sqlite
