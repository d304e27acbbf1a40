// The WriteTxn that write() hands to its body: every operation runs on the writer connection inside
// the open IMMEDIATE transaction, and appended events are collected for write() to return.
#pragma once

#include "core/clock.h"
#include "core/store/metadata_store.h"
#include "storage/sqlite/connection.h"

#include <vector>

namespace silo::storage::sqlite {

class SqliteWriteTxn final : public WriteTxn {
 public:
  SqliteWriteTxn(Connection& connection, const Clock& clock) noexcept : connection_(connection), clock_(clock) {}

  Result<void> insert_sandbox(const SandboxRecord& record) override;
  Result<void> update_sandbox(const SandboxRecord& record) override;
  Result<void> delete_sandbox(std::string_view id) override;
  Result<void> insert_container(const ContainerRecord& record) override;
  Result<void> update_container(const ContainerRecord& record) override;
  Result<void> delete_container(std::string_view id) override;
  Result<void> insert_layer(const LayerRecord& record) override;
  Result<void> delete_layer(std::string_view id) override;
  Result<EventRecord> append_event(const EventDraft& draft) override;
  Result<SandboxRecord> get_sandbox(std::string_view id) override;
  Result<ContainerRecord> get_container(std::string_view id) override;

  std::vector<EventRecord> take_events() noexcept { return std::move(events_); }

 private:
  Connection& connection_;
  const Clock& clock_;
  std::vector<EventRecord> events_;
};

}  // namespace silo::storage::sqlite
