// The schema as an ordered list of steps. A database records the last step applied in
// PRAGMA user_version (what open checks) and every step with its time in schema_migrations (what
// an operator reads). Steps are append-only: a released step is never edited, a change is a new one.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "storage/sqlite/connection.h"

#include <span>
#include <string_view>

namespace silo::storage::sqlite {

struct Migration {
  int version;                   // 1, 2, 3, ...: its position in the list
  std::string_view description;  // shown in schema_migrations
  const char* sql;               // fixed DDL; ends by setting PRAGMA user_version to `version`
};

std::span<const Migration> migrations() noexcept;
int latest_schema_version() noexcept;

// Reads the whole file through SQLite's own check (PRAGMA quick_check) before anything writes to
// it, so a damaged, truncated or foreign file is refused with its path and SQLite's words instead
// of being "repaired" or overwritten.
Result<void> check_database_readable(Connection& connection);

Result<int> read_schema_version(Connection& connection);

// The database's schema version, refused (failed_precondition) when it is newer than this build or
// when the file holds some other program's tables. Reads only.
Result<int> check_schema_version(Connection& connection);

// Applies one step in its own IMMEDIATE transaction, recording it in schema_migrations.
Result<void> apply_migration(Connection& connection, const Migration& step, TimeNs applied_at);

// Refuses a database newer than this build, then applies every pending step in order.
Result<void> migrate(Connection& connection, const Clock& clock);

}  // namespace silo::storage::sqlite
