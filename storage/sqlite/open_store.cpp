// open_metadata_store: every check that proves a file is an intact silo database runs before the
// first write to it, so a file silod cannot trust is refused and left exactly as it was.
#include "core/logging.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/metadata_store.h"
#include "storage/sqlite/migrations.h"

#include <sqlite3.h>

#include <system_error>

namespace silo {

using storage::sqlite::Connection;
using storage::sqlite::ConnectionOptions;
using storage::sqlite::OpenMode;
using storage::sqlite::ReaderPool;

namespace {

std::string quoted(const std::filesystem::path& path) { return "\"" + path.string() + "\""; }

// SQLite would report a directory or a missing folder only as "unable to open database file".
Result<bool> check_path(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    return errno_error(Errc::internal, "inspect database path " + quoted(path), error.value());
  }
  if (std::filesystem::exists(status)) {
    if (std::filesystem::is_directory(status)) {
      return make_error(Errc::failed_precondition,
                        "database path " + quoted(path) + " is a directory, not a database file; give a file path");
    }
    if (!std::filesystem::is_regular_file(status)) {
      return make_error(Errc::failed_precondition, "database path " + quoted(path) + " is not a regular file");
    }
    return true;
  }
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder, error)) {
    return make_error(Errc::failed_precondition,
                      "the folder " + quoted(folder) + " for database " + quoted(path) + " does not exist");
  }
  return false;
}

Result<void> apply_pragmas(Connection& connection) {
  auto mode = connection.query_text("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return make_error(Errc::internal, "database \"" + connection.path() + "\" could not switch to WAL (got \"" +
                                          *mode + "\"); put it on a local file system");
  }
  // FULL: a commit is on disk before write() returns, so an acknowledged change survives power loss.
  SILO_TRY(connection.exec("PRAGMA synchronous = FULL"));
  SILO_TRY(connection.exec("PRAGMA foreign_keys = ON"));
  return {};
}

Result<std::unique_ptr<Connection>> open_writer(const StoreOptions& options, bool existed) {
  const ConnectionOptions connection_options{existed ? OpenMode::read_write : OpenMode::read_write_create,
                                             options.busy_timeout};
  auto opened = Connection::open(options.path.string(), connection_options);
  if (!opened) return opened.error();
  std::unique_ptr<Connection> writer = std::move(opened).value();
  if (sqlite3_db_readonly(writer->handle(), "main") == 1) {
    return make_error(Errc::permission_denied,
                      "database " + quoted(options.path) + " is read-only for silod; give it write permission");
  }
  SILO_TRY(storage::sqlite::check_database_readable(*writer));
  SILO_TRY(storage::sqlite::check_schema_version(*writer));
  SILO_TRY(apply_pragmas(*writer));
  SILO_TRY(storage::sqlite::migrate(*writer, options.clock));
  return writer;
}

Result<std::unique_ptr<ReaderPool>> open_readers(const StoreOptions& options) {
  std::vector<std::unique_ptr<Connection>> readers;
  for (std::size_t i = 0; i < options.reader_pool_size; ++i) {
    auto opened = Connection::open(options.path.string(), {OpenMode::read_write, options.busy_timeout});
    if (!opened) return opened.error();
    std::unique_ptr<Connection> reader = std::move(opened).value();
    // Readers only read: query_only turns a mistaken write through them into an error.
    SILO_TRY(reader->exec("PRAGMA query_only = ON"));
    readers.push_back(std::move(reader));
  }
  return std::make_unique<ReaderPool>(std::move(readers));
}

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> open_metadata_store(const StoreOptions& options) {
  if (options.reader_pool_size == 0 || options.reader_pool_size > 64) {
    return make_error(Errc::invalid_argument, "reader pool size " + std::to_string(options.reader_pool_size) +
                                                  " is out of range; use 1 to 64");
  }
  auto existed = check_path(options.path);
  if (!existed) return existed.error();
  auto writer = open_writer(options, *existed);
  if (!writer) return writer.error();
  auto readers = open_readers(options);
  if (!readers) return readers.error();
  silo::logging::get("storage")->info("opened database {} (schema version {})", options.path.string(),
                                      storage::sqlite::latest_schema_version());
  return std::unique_ptr<SqliteMetadataStore>(
      new SqliteMetadataStore(options.clock, std::move(writer).value(), std::move(readers).value()));
}

}  // namespace silo
