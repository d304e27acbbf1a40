#include "storage/sqlite/migrations.h"

#include "storage/sqlite/schema_v1.h"
#include "storage/sqlite/schema_v2.h"

#include <array>

namespace silo::storage::sqlite {
namespace {

constexpr std::array kMigrations{
    Migration{1, "sandboxes, containers, labels, layers, events", kSchemaStep1},
    Migration{2, "audit trail", kSchemaStep2},
};

std::string quoted(std::string_view path) { return "\"" + std::string(path) + "\""; }

Result<void> run_step(Connection& connection, const Migration& step, TimeNs applied_at) {
  SILO_TRY(connection.exec(step.sql));
  auto record = connection.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)");
  if (!record) return record.error();
  SILO_TRY(record->bind_all(std::int64_t{step.version}, step.description, applied_at));
  SILO_TRY(record->run());
  auto version = read_schema_version(connection);
  if (!version) return version.error();
  if (*version != step.version) {
    // A step whose SQL forgot to set user_version would be applied again on every start.
    return make_error(Errc::internal, "migration step " + std::to_string(step.version) +
                                          " left schema version " + std::to_string(*version));
  }
  return {};
}

// A database without a schema version but with tables belongs to some other program: adding silo's
// tables to it would mix two applications' data in one file.
Result<void> refuse_foreign_tables(Connection& connection) {
  auto tables = connection.query_int64("SELECT count(*) FROM sqlite_schema");
  if (!tables) return tables.error();
  if (*tables != 0) {
    return make_error(Errc::failed_precondition, "database " + quoted(connection.path()) +
                                                     " already holds tables but no silo schema version; it is not a "
                                                     "silo database, so silod will not add to it");
  }
  return {};
}

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int latest_schema_version() noexcept { return kMigrations.back().version; }

Result<void> check_database_readable(Connection& connection) {
  auto check = connection.prepare("PRAGMA quick_check");
  if (!check) return check.error();
  std::string problems;
  for (int shown = 0; shown < 5;) {
    auto row = check->step();
    if (!row) return row.error();
    if (!*row) break;
    const std::string line = check->column_text(0);
    if (line == "ok") continue;
    problems += (problems.empty() ? "" : "; ") + line;
    ++shown;
  }
  if (!problems.empty()) {
    return make_error(Errc::internal, "database " + quoted(connection.path()) +
                                          " is damaged; restore a backup (SQLite quick_check: " + problems + ")");
  }
  return {};
}

Result<int> read_schema_version(Connection& connection) {
  auto version = connection.query_int64("PRAGMA user_version");
  if (!version) return version.error();
  return static_cast<int>(*version);
}

Result<void> apply_migration(Connection& connection, const Migration& step, TimeNs applied_at) {
  SILO_TRY(connection.exec("BEGIN IMMEDIATE"));
  auto applied = run_step(connection, step, applied_at);
  if (!applied) {
    if (connection.in_transaction()) (void)connection.exec("ROLLBACK");
    return make_error(applied.error().code, "migration step " + std::to_string(step.version) + " (" +
                                                std::string(step.description) + ") failed on database " +
                                                quoted(connection.path()) + ": " + applied.error().message);
  }
  auto committed = connection.exec("COMMIT");
  if (!committed) {
    if (connection.in_transaction()) (void)connection.exec("ROLLBACK");
    return committed.error();
  }
  return {};
}

Result<int> check_schema_version(Connection& connection) {
  auto current = read_schema_version(connection);
  if (!current) return current.error();
  if (*current > latest_schema_version()) {
    return make_error(Errc::failed_precondition,
                      "database " + quoted(connection.path()) + " has schema version " + std::to_string(*current) +
                          ", newer than this silod supports (" + std::to_string(latest_schema_version()) +
                          "); upgrade silod or restore a backup");
  }
  if (*current < 0) {
    return make_error(Errc::failed_precondition, "database " + quoted(connection.path()) + " has schema version " +
                                                     std::to_string(*current) +
                                                     ", which no silod writes; it is not a silo database");
  }
  if (*current == 0) SILO_TRY(refuse_foreign_tables(connection));
  return current.value();
}

Result<void> migrate(Connection& connection, const Clock& clock) {
  auto current = check_schema_version(connection);
  if (!current) return current.error();
  for (const auto& step : kMigrations) {
    if (step.version <= *current) continue;
    SILO_TRY(apply_migration(connection, step, clock.now()));
  }
  return {};
}

}  // namespace silo::storage::sqlite
