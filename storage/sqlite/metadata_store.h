// The SQLite implementation of silo::MetadataStore (core/store/metadata_store.h).
//
// open_metadata_store creates the file if it does not exist, and otherwise first proves it is a
// readable, intact silo database (PRAGMA quick_check, schema version not newer than this build)
// before anything writes to it: a damaged or foreign file is refused with its path, never
// recreated or overwritten.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/store/audit_store.h"
#include "core/store/metadata_store.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

namespace silo::storage::sqlite {
class Connection;
class ReaderPool;
}  // namespace silo::storage::sqlite

namespace silo {

struct StoreOptions {
  std::filesystem::path path;                     // the database file; its folder must exist
  const Clock& clock;                             // stamps events and migrations; must outlive the store
  std::chrono::milliseconds busy_timeout{5000};   // how long to wait for another writer's lock
  std::size_t reader_pool_size = 4;               // concurrent reads; at least 1
};

// Also the audit trail's store: its rows live in the same database file, written by the same
// writer connection.
class SqliteMetadataStore final : public MetadataStore, public AuditStore {
 public:
  ~SqliteMetadataStore() override;

  Result<std::vector<EventRecord>> write(const WriteBody& body) override;

  Result<SandboxRecord> find_sandbox(std::string_view ref) override;
  Result<std::vector<SandboxRecord>> list_sandboxes(const SandboxFilter& filter) override;
  Result<ContainerRecord> find_container(std::string_view ref) override;
  Result<std::vector<ContainerRecord>> list_containers(const ContainerFilter& filter) override;
  Result<LayerRecord> find_layer(std::string_view ref) override;
  Result<std::vector<LayerRecord>> list_layers() override;
  Result<std::vector<EventRecord>> list_events(const EventQuery& query) override;
  Result<std::int64_t> last_event_id() override;

  Result<AuditEntry> append_audit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) override;

 private:
  friend Result<std::unique_ptr<SqliteMetadataStore>> open_metadata_store(const StoreOptions& options);
  SqliteMetadataStore(const Clock& clock, std::unique_ptr<storage::sqlite::Connection> writer,
                      std::unique_ptr<storage::sqlite::ReaderPool> readers);

  const Clock& clock_;
  std::mutex writer_mutex_;
  // The thread inside write(), to refuse a nested write() instead of deadlocking on the mutex.
  std::atomic<std::thread::id> writer_thread_{};
  std::unique_ptr<storage::sqlite::Connection> writer_;
  std::unique_ptr<storage::sqlite::ReaderPool> readers_;
};

Result<std::unique_ptr<SqliteMetadataStore>> open_metadata_store(const StoreOptions& options);

}  // namespace silo
