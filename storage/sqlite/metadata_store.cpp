#include "storage/sqlite/metadata_store.h"

#include "storage/sqlite/audit_rows.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/connection_pool.h"
#include "storage/sqlite/container_rows.h"
#include "storage/sqlite/event_rows.h"
#include "storage/sqlite/layer_rows.h"
#include "storage/sqlite/sandbox_rows.h"
#include "storage/sqlite/write_txn.h"

namespace silo {

using storage::sqlite::Connection;
using storage::sqlite::ReaderPool;

namespace {

// Rolls back whatever is still open when write() leaves early, including by an exception from a
// body, so the writer connection is always clean for the next write().
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection& connection) noexcept : connection_(connection) {}
  ~RollbackGuard() {
    if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
  }
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;

 private:
  Connection& connection_;
};

class WriterThreadMark {
 public:
  explicit WriterThreadMark(std::atomic<std::thread::id>& mark) noexcept : mark_(mark) {
    mark_ = std::this_thread::get_id();
  }
  ~WriterThreadMark() { mark_ = std::thread::id(); }
  WriterThreadMark(const WriterThreadMark&) = delete;
  WriterThreadMark& operator=(const WriterThreadMark&) = delete;

 private:
  std::atomic<std::thread::id>& mark_;
};

}  // namespace

SqliteMetadataStore::SqliteMetadataStore(const Clock& clock, std::unique_ptr<Connection> writer,
                                         std::unique_ptr<ReaderPool> readers)
    : clock_(clock), writer_(std::move(writer)), readers_(std::move(readers)) {}

SqliteMetadataStore::~SqliteMetadataStore() = default;

Result<std::vector<EventRecord>> SqliteMetadataStore::write(const WriteBody& body) {
  if (writer_thread_.load() == std::this_thread::get_id()) {
    return make_error(Errc::internal, "write() was called from inside a write() body; use the WriteTxn it was given");
  }
  std::lock_guard lock(writer_mutex_);
  WriterThreadMark mark(writer_thread_);
  // IMMEDIATE takes the write lock now, so the body never fails half-way on a lock upgrade.
  SILO_TRY(writer_->exec("BEGIN IMMEDIATE"));
  RollbackGuard rollback(*writer_);
  storage::sqlite::SqliteWriteTxn txn(*writer_, clock_);
  auto outcome = body(txn);
  if (!outcome) return outcome.error();
  SILO_TRY(writer_->exec("COMMIT"));
  return txn.take_events();
}

Result<SandboxRecord> SqliteMetadataStore::find_sandbox(std::string_view ref) {
  auto reader = readers_->acquire();
  return storage::sqlite::find_sandbox_row(*reader, ref);
}

Result<std::vector<SandboxRecord>> SqliteMetadataStore::list_sandboxes(const SandboxFilter& filter) {
  auto reader = readers_->acquire();
  return storage::sqlite::list_sandbox_rows(*reader, filter);
}

Result<ContainerRecord> SqliteMetadataStore::find_container(std::string_view ref) {
  auto reader = readers_->acquire();
  return storage::sqlite::find_container_row(*reader, ref);
}

Result<std::vector<ContainerRecord>> SqliteMetadataStore::list_containers(const ContainerFilter& filter) {
  auto reader = readers_->acquire();
  return storage::sqlite::list_container_rows(*reader, filter);
}

Result<LayerRecord> SqliteMetadataStore::find_layer(std::string_view ref) {
  auto reader = readers_->acquire();
  return storage::sqlite::find_layer_row(*reader, ref);
}

Result<std::vector<LayerRecord>> SqliteMetadataStore::list_layers() {
  auto reader = readers_->acquire();
  return storage::sqlite::list_layer_rows(*reader);
}

Result<std::vector<EventRecord>> SqliteMetadataStore::list_events(const EventQuery& query) {
  auto reader = readers_->acquire();
  return storage::sqlite::list_event_rows(*reader, query);
}

Result<std::int64_t> SqliteMetadataStore::last_event_id() {
  auto reader = readers_->acquire();
  return storage::sqlite::last_event_id_row(*reader);
}

Result<AuditEntry> SqliteMetadataStore::append_audit(const AuditEntry& entry) {
  if (writer_thread_.load() == std::this_thread::get_id()) {
    return make_error(Errc::internal, "append_audit() was called from inside a write() body");
  }
  std::lock_guard lock(writer_mutex_);
  // One statement in autocommit mode: durable when it returns (synchronous=FULL).
  return storage::sqlite::append_audit_row(*writer_, clock_.now(), entry);
}

Result<std::vector<AuditEntry>> SqliteMetadataStore::list_audit(const AuditQuery& query) {
  auto reader = readers_->acquire();
  return storage::sqlite::list_audit_rows(*reader, query);
}

}  // namespace silo
