// Migration step 2: the audit trail (core/store/audit_store.h). Append-only like events, with
// AUTOINCREMENT ids so an id is never handed out twice, and indexes for the two filters the API
// offers (time range, identity).
#pragma once

namespace silo::storage::sqlite {

inline constexpr const char* kSchemaStep2 = R"sql(
CREATE TABLE audit (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  time       INTEGER NOT NULL,
  identity   TEXT NOT NULL,
  role       TEXT NOT NULL,
  transport  TEXT NOT NULL,
  remote     TEXT NOT NULL,
  method     TEXT NOT NULL,
  route      TEXT NOT NULL,
  path       TEXT NOT NULL,
  target_id  TEXT NOT NULL,
  status     INTEGER NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit(time);
CREATE INDEX audit_by_identity ON audit(identity, time);

PRAGMA user_version = 2;
)sql";

}  // namespace silo::storage::sqlite
