// SQLite result codes in silo's error vocabulary. One place decides what a user sees for a busy,
// full, corrupt or constraint-violating database, and every message keeps SQLite's own text so an
// operator can search for it.
#pragma once

#include "core/errors.h"

#include <chrono>
#include <string>
#include <string_view>

namespace silo::storage::sqlite {

struct SqliteFailure {
  int extended_code = 0;        // sqlite3_extended_errcode
  std::string sqlite_message;   // sqlite3_errmsg
  int system_errno = 0;         // sqlite3_system_errno, 0 if none
};

// `what` names the operation ("insert container"), `path` the database file.
//   UNIQUE / PRIMARY KEY     -> already_exists
//   FOREIGN KEY              -> failed_precondition
//   BUSY / LOCKED            -> unavailable (after the busy timeout)
//   FULL                     -> resource_exhausted
//   READONLY / CANTOPEN+EACCES -> permission_denied
//   CORRUPT / NOTADB / other -> internal, with the path
Error to_error(const SqliteFailure& failure, std::string_view what, std::string_view path,
               std::chrono::milliseconds busy_timeout);

// True for a UNIQUE or PRIMARY KEY violation whose SQLite message names `table.column`, so a row
// writer can replace the generic message with one that names the field and value.
bool is_unique_violation_of(const Error& error, std::string_view table_column);

}  // namespace silo::storage::sqlite
