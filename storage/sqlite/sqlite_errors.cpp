#include "storage/sqlite/sqlite_errors.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace silo::storage::sqlite {
namespace {

std::string sqlite_detail(const SqliteFailure& failure) {
  std::string detail = "SQLite: " + failure.sqlite_message;
  // sqlite3_system_errno keeps the last OS error of the connection, which is stale for failures
  // that are not about the OS (constraints, corruption), so it is shown only for I/O failures.
  const int primary = failure.extended_code & 0xff;
  const bool os_failure = primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL;
  if (os_failure && failure.system_errno != 0) {
    detail += "; " + std::string(std::strerror(failure.system_errno)) + " (errno " +
              std::to_string(failure.system_errno) + ")";
  }
  return detail;
}

std::string quoted(std::string_view path) { return "\"" + std::string(path) + "\""; }

}  // namespace

Error to_error(const SqliteFailure& failure, std::string_view what, std::string_view path,
               std::chrono::milliseconds busy_timeout) {
  const int primary = failure.extended_code & 0xff;
  const std::string detail = sqlite_detail(failure);
  const std::string op(what);
  switch (failure.extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return make_error(Errc::already_exists, op + ": already exists (" + detail + ")");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return make_error(Errc::failed_precondition, op + ": a referenced object is missing or still in use (" +
                                                       detail + ")");
    default:
      break;
  }
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(Errc::unavailable, op + ": database " + quoted(path) + " stayed locked for " +
                                               std::to_string(busy_timeout.count()) +
                                               " ms (another process or connection is writing); retry later (" +
                                               detail + ")");
    case SQLITE_FULL:
      return make_error(Errc::resource_exhausted,
                        op + ": the disk holding database " + quoted(path) + " is full; free space (" + detail + ")");
    case SQLITE_READONLY:
      return make_error(Errc::permission_denied,
                        op + ": database " + quoted(path) + " is not writable by silod (" + detail + ")");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      if (primary != SQLITE_CANTOPEN || failure.system_errno == EACCES || failure.system_errno == EPERM) {
        return make_error(Errc::permission_denied,
                          op + ": cannot open database " + quoted(path) + ": permission denied (" + detail + ")");
      }
      return make_error(Errc::internal, op + ": cannot open database " + quoted(path) + " (" + detail + ")");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return make_error(Errc::internal, op + ": database " + quoted(path) +
                                            " is damaged or not a SQLite database; restore a backup (" + detail +
                                            ")");
    case SQLITE_CONSTRAINT:
      return make_error(Errc::failed_precondition, op + ": constraint violated (" + detail + ")");
    default:
      return make_error(Errc::internal, op + ": database " + quoted(path) + " failed (" + detail + ")");
  }
}

bool is_unique_violation_of(const Error& error, std::string_view table_column) {
  return error.code == Errc::already_exists && error.message.find(table_column) != std::string::npos;
}

}  // namespace silo::storage::sqlite
