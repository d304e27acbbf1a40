#include "storage/sqlite/audit_rows.h"

#include "storage/sqlite/query_builder.h"

#include <limits>

namespace silo::storage::sqlite {

Result<AuditEntry> append_audit_row(Connection& connection, TimeNs time, const AuditEntry& entry) {
  auto insert = connection.prepare(
      "INSERT INTO audit (time, identity, role, transport, remote, method, route, path, target_id, status, "
      "request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  SILO_TRY(insert->bind_all(time, entry.identity, entry.role, entry.transport, entry.remote, entry.method, entry.route,
                            entry.path, entry.target_id, std::int64_t{entry.status}, entry.request_id));
  SILO_TRY(insert->run());
  AuditEntry stored = entry;
  stored.id = connection.last_insert_rowid();
  stored.time = time;
  return stored;
}

Result<std::vector<AuditEntry>> list_audit_rows(Connection& connection, const AuditQuery& query) {
  QueryBuilder builder(
      "SELECT id, time, identity, role, transport, remote, method, route, path, target_id, status, request_id "
      "FROM audit");
  if (query.since) builder.where("time >= ?", *query.since);
  if (query.until) builder.where("time <= ?", *query.until);
  if (query.identity) builder.where("identity = ?", *query.identity);
  const auto limit = query.limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
                         ? std::numeric_limits<std::int64_t>::max()
                         : static_cast<std::int64_t>(query.limit);
  builder.append(" ORDER BY id DESC LIMIT ?", limit);
  auto statement = builder.prepare(connection);
  if (!statement) return statement.error();
  std::vector<AuditEntry> entries;
  for (;;) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    entries.push_back(AuditEntry{statement->column_int64(0), statement->column_int64(1), statement->column_text(2),
                                 statement->column_text(3), statement->column_text(4), statement->column_text(5),
                                 statement->column_text(6), statement->column_text(7), statement->column_text(8),
                                 statement->column_text(9), static_cast<int>(statement->column_int64(10)),
                                 statement->column_text(11)});
  }
  return entries;
}

}  // namespace silo::storage::sqlite
