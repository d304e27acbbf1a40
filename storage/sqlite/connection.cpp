// See connection.h for how connections are kept to one thread at a time.
#include "storage/sqlite/connection.h"

#include "storage/sqlite/sqlite_errors.h"

#include <limits>

namespace silo::storage::sqlite {
namespace {

int open_flags(OpenMode mode) {
  // NOMUTEX: SQLite's per-connection mutex is redundant because silo never shares a connection
  // between threads at once (see the header). The library itself remains thread-safe.
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case OpenMode::read_write_create:
      return flags | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    case OpenMode::read_write:
      return flags | SQLITE_OPEN_READWRITE;
    case OpenMode::read_only:
      return flags | SQLITE_OPEN_READONLY;
  }
  return flags | SQLITE_OPEN_READONLY;
}

int text_size(std::string_view text) {
  // SQLite takes an int length; silo's inputs are bounded far below this at the API boundary.
  return text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ? -1 : static_cast<int>(text.size());
}

}  // namespace

Statement::~Statement() { sqlite3_finalize(stmt_); }

Result<void> Statement::bind(int index, std::string_view text) {
  const int size = text_size(text);
  if (size < 0) return make_error(Errc::invalid_argument, "value is too large to store");
  // SQLITE_TRANSIENT: SQLite copies the text, so the caller's buffer may go away before step().
  const int rc = sqlite3_bind_text(stmt_, index, text.data(), size, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) return connection_->last_error(rc, "bind parameter");
  return {};
}

Result<void> Statement::bind(int index, std::int64_t number) {
  const int rc = sqlite3_bind_int64(stmt_, index, number);
  if (rc != SQLITE_OK) return connection_->last_error(rc, "bind parameter");
  return {};
}

Result<void> Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) return connection_->last_error(rc, "bind parameter");
  return {};
}

Result<void> Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Result<void> Statement::bind(int index, const std::optional<std::int64_t>& number) {
  return number ? bind(index, *number) : bind_null(index);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->last_error(rc, "run statement");
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

bool Statement::column_is_null(int column) const noexcept {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const noexcept { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const noexcept {
  if (column_is_null(column)) return std::nullopt;
  return column_int64(column);
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, const ConnectionOptions& options) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, open_flags(options.mode), nullptr);
  if (rc != SQLITE_OK) {
    SqliteFailure failure{rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc),
                          db != nullptr ? sqlite3_system_errno(db) : 0};
    if (db != nullptr) failure.extended_code = sqlite3_extended_errcode(db);
    sqlite3_close(db);  // sqlite3_open_v2 may return a handle even on failure
    return to_error(failure, "open database", path, options.busy_timeout);
  }
  sqlite3_extended_result_codes(db, 1);
  const auto timeout_ms = options.busy_timeout.count();
  sqlite3_busy_timeout(db, timeout_ms > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                                        : static_cast<int>(timeout_ms));
  return std::unique_ptr<Connection>(new Connection(db, path, options.busy_timeout));
}

Connection::~Connection() {
  statements_.clear();  // finalize every statement before closing, or sqlite3_close fails with BUSY
  sqlite3_close(db_);
}

StatementLease Connection::prepare(std::string_view sql) {
  if (auto found = statements_.find(std::string(sql)); found != statements_.end()) {
    return StatementLease(found->second.get(), nullptr);
  }
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), text_size(sql), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return StatementLease(last_error(rc, "prepare statement"));
  auto statement = std::make_unique<Statement>(*this, raw);
  if (statements_.size() >= kStatementCacheLimit) {
    // Only filter queries vary their text (by how many terms they have); past the bound they are
    // prepared per use instead of growing the cache without limit.
    return StatementLease(nullptr, std::move(statement));
  }
  Statement* cached = statement.get();
  statements_.emplace(std::string(sql), std::move(statement));
  return StatementLease(cached, nullptr);
}

Result<void> Connection::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) return last_error(rc, "run SQL");
  return {};
}

Result<std::string> Connection::query_text(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return make_error(Errc::internal, "\"" + std::string(sql) + "\" returned no row on database \"" + path_ + "\"");
  return statement->column_text(0);
}

Result<std::int64_t> Connection::query_int64(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return make_error(Errc::internal, "\"" + std::string(sql) + "\" returned no row on database \"" + path_ + "\"");
  return statement->column_int64(0);
}

Error Connection::last_error(int rc, std::string_view what) const {
  SqliteFailure failure{sqlite3_extended_errcode(db_), sqlite3_errmsg(db_), sqlite3_system_errno(db_)};
  if ((failure.extended_code & 0xff) != (rc & 0xff)) failure.extended_code = rc;  // errmsg may lag behind rc
  return to_error(failure, what, path_, busy_timeout_);
}

}  // namespace silo::storage::sqlite
