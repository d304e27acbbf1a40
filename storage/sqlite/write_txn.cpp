#include "storage/sqlite/write_txn.h"

#include "storage/sqlite/container_rows.h"
#include "storage/sqlite/event_rows.h"
#include "storage/sqlite/layer_rows.h"
#include "storage/sqlite/sandbox_rows.h"

namespace silo::storage::sqlite {

Result<void> SqliteWriteTxn::insert_sandbox(const SandboxRecord& record) {
  return insert_sandbox_row(connection_, record);
}
Result<void> SqliteWriteTxn::update_sandbox(const SandboxRecord& record) {
  return update_sandbox_row(connection_, record);
}
Result<void> SqliteWriteTxn::delete_sandbox(std::string_view id) { return delete_sandbox_row(connection_, id); }

Result<void> SqliteWriteTxn::insert_container(const ContainerRecord& record) {
  return insert_container_row(connection_, record);
}
Result<void> SqliteWriteTxn::update_container(const ContainerRecord& record) {
  return update_container_row(connection_, record);
}
Result<void> SqliteWriteTxn::delete_container(std::string_view id) { return delete_container_row(connection_, id); }

Result<void> SqliteWriteTxn::insert_layer(const LayerRecord& record) { return insert_layer_row(connection_, record); }
Result<void> SqliteWriteTxn::delete_layer(std::string_view id) { return delete_layer_row(connection_, id); }

Result<EventRecord> SqliteWriteTxn::append_event(const EventDraft& draft) {
  auto event = append_event_row(connection_, clock_.now(), draft);
  if (event) events_.push_back(*event);
  return event;
}

Result<SandboxRecord> SqliteWriteTxn::get_sandbox(std::string_view id) { return get_sandbox_row(connection_, id); }
Result<ContainerRecord> SqliteWriteTxn::get_container(std::string_view id) {
  return get_container_row(connection_, id);
}

}  // namespace silo::storage::sqlite
