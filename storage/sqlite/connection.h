// RAII over one sqlite3 connection and its prepared statements.
//
// How this is safe for concurrent use from many threads:
// - A Connection is NOT shared between threads at the same time. It is opened with
//   SQLITE_OPEN_NOMUTEX (SQLite's "multi-thread" mode: the library itself is thread-safe, each
//   connection must be used by one thread at a time), and silo guarantees that exclusivity from
//   the outside: the single writer connection is used only while holding the store's writer mutex,
//   and each reader connection is leased from a bounded pool to one thread at a time
//   (connection_pool.h). The prepared-statement cache belongs to its connection and is therefore
//   covered by the same exclusivity; no other state here is shared.
// - Across connections SQLite does the locking: in WAL mode readers never block the writer and the
//   writer never blocks readers; only one write transaction exists at a time (BEGIN IMMEDIATE takes
//   the write lock up front, so a transaction never fails half-way on a lock upgrade). Another
//   process holding the write lock makes us wait up to busy_timeout, then fail with unavailable.
// - Every statement handed out is reset when its lease ends, so a finished SELECT never keeps an
//   old WAL snapshot (read transaction) open behind the caller's back.
#pragma once

#include "core/errors.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace silo::storage::sqlite {

class Connection;

// One prepared statement. Bind indexes are 1-based, column indexes 0-based, as in SQLite.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt) noexcept : connection_(&connection), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Result<void> bind(int index, std::string_view text);
  Result<void> bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Result<void> bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Result<void> bind(int index, std::int64_t number);
  Result<void> bind_null(int index);
  Result<void> bind(int index, const std::optional<std::string>& text);
  Result<void> bind(int index, const std::optional<std::int64_t>& number);

  // Binds each argument to 1, 2, 3, ... in order.
  template <class... Args>
  Result<void> bind_all(const Args&... args) {
    int index = 0;
    Result<void> result;
    (
        [&] {
          ++index;
          if (result) result = bind(index, args);
        }(),
        ...);
    return result;
  }

  // true: a row is available; false: the statement is done.
  Result<bool> step();
  // Steps to completion, for statements that return no rows.
  Result<void> run();

  bool column_is_null(int column) const noexcept;
  std::int64_t column_int64(int column) const noexcept;
  std::string column_text(int column) const;
  std::optional<std::string> column_optional_text(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const noexcept;

  void reset() noexcept;

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
};

// A statement lent out by Connection::prepare, or the error that prevented preparing it; resets
// (and unbinds) the statement when the lease ends so the cached statement is clean for the next
// user and holds no read snapshot. Not a Result<T>: GCC cannot see through result's operator->
// that the value is there, and -Wnull-dereference fires at -O2 on every use.
class StatementLease {
 public:
  StatementLease(Statement* cached, std::unique_ptr<Statement> owned) noexcept
      : owned_(std::move(owned)), stmt_(cached != nullptr ? cached : owned_.get()) {}
  explicit StatementLease(Error error) : stmt_(nullptr), error_(std::move(error)) {}
  ~StatementLease() {
    if (stmt_ != nullptr) stmt_->reset();
  }
  StatementLease(StatementLease&& other) noexcept
      : owned_(std::move(other.owned_)), stmt_(other.stmt_), error_(std::move(other.error_)) {
    other.stmt_ = nullptr;
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;

  explicit operator bool() const noexcept { return stmt_ != nullptr; }
  const Error& error() const noexcept { return error_; }

  // Only after checking the lease holds a statement; anything else is a bug and stops here.
  Statement* operator->() const noexcept {
    if (stmt_ == nullptr) std::abort();
    return stmt_;
  }
  Statement& operator*() const noexcept { return *operator->(); }

 private:
  std::unique_ptr<Statement> owned_;
  Statement* stmt_;
  Error error_;
};

enum class OpenMode { read_write_create, read_write, read_only };

struct ConnectionOptions {
  OpenMode mode = OpenMode::read_write;
  std::chrono::milliseconds busy_timeout{5000};
};

class Connection {
 public:
  // Opens the file without reading it yet; SQLite reads the header lazily, so callers validate
  // the contents next (see migrations.h: check_readable_database).
  static Result<std::unique_ptr<Connection>> open(const std::string& path, const ConnectionOptions& options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Fixed SQL text only (never text with values spliced in). Statements prepared through here are
  // cached per connection, up to a bound, because the same few statements run over and over.
  StatementLease prepare(std::string_view sql);

  // Runs fixed SQL that may hold several statements (schema, pragmas, BEGIN/COMMIT).
  Result<void> exec(const char* sql);

  // Runs a statement that yields exactly one text/number row, such as "PRAGMA user_version".
  Result<std::string> query_text(std::string_view sql);
  Result<std::int64_t> query_int64(std::string_view sql);

  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
  std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
  std::int64_t last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

  // The error for the connection's last failed call, in silo's vocabulary (sqlite_errors.h).
  Error last_error(int rc, std::string_view what) const;

  const std::string& path() const noexcept { return path_; }
  std::chrono::milliseconds busy_timeout() const noexcept { return busy_timeout_; }
  sqlite3* handle() const noexcept { return db_; }

 private:
  Connection(sqlite3* db, std::string path, std::chrono::milliseconds busy_timeout) noexcept
      : db_(db), path_(std::move(path)), busy_timeout_(busy_timeout) {}

  static constexpr std::size_t kStatementCacheLimit = 128;

  sqlite3* db_;
  std::string path_;
  std::chrono::milliseconds busy_timeout_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace silo::storage::sqlite
