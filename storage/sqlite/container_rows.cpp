#include "storage/sqlite/container_rows.h"

#include "core/ids.h"
#include "storage/sqlite/lookup.h"
#include "storage/sqlite/query_builder.h"
#include "storage/sqlite/row_codec.h"
#include "storage/sqlite/sqlite_errors.h"

namespace silo::storage::sqlite {
namespace {

#define SILO_CONTAINER_COLUMNS                                                                            \
  "SELECT id, name, sandbox_id, isolation, state, state_reason, top_layer, labels, spec, created_at, " \
  "started_at, finished_at, exit_code, backend_handle FROM containers"

constexpr std::string_view kSelect = SILO_CONTAINER_COLUMNS;
constexpr LookupSql kLookup{
    SILO_CONTAINER_COLUMNS " WHERE id = ?",
    SILO_CONTAINER_COLUMNS " WHERE name = ?",
    "SELECT id FROM containers WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
};
#undef SILO_CONTAINER_COLUMNS

constexpr LabelTableSql kLabels{
    "DELETE FROM container_labels WHERE container_id = ?",
    "INSERT INTO container_labels (container_id, key, value) VALUES (?, ?, ?)",
};

std::optional<std::int64_t> to_column(const std::optional<int>& value) {
  return value ? std::optional<std::int64_t>(*value) : std::nullopt;
}

Result<ContainerRecord> decode_row(const Statement& row) {
  ContainerRecord record;
  record.id = row.column_text(0);
  record.name = row.column_text(1);
  record.sandbox_id = row.column_text(2);
  auto isolation = parse_isolation(row.column_text(3));
  if (!isolation) return stored_row_error("container", record.id, isolation.error());
  auto state = parse_container_state(row.column_text(4));
  if (!state) return stored_row_error("container", record.id, state.error());
  auto labels = decode_map(row.column_text(7), "labels");
  if (!labels) return stored_row_error("container", record.id, labels.error());
  auto spec = decode_json(row.column_text(8), "spec");
  if (!spec) return stored_row_error("container", record.id, spec.error());
  record.isolation = isolation.value();
  record.state = state.value();
  record.state_reason = row.column_text(5);
  record.top_layer = row.column_optional_text(6);
  record.labels = std::move(labels).value();
  record.spec = std::move(spec).value();
  record.created_at = row.column_int64(9);
  record.started_at = row.column_optional_int64(10);
  record.finished_at = row.column_optional_int64(11);
  if (auto code = row.column_optional_int64(12)) record.exit_code = static_cast<int>(*code);
  record.backend_handle = row.column_text(13);
  return record;
}

// Turns constraint failures into messages that name the field and value the caller sent.
Error explain(const Error& error, const ContainerRecord& record) {
  if (is_unique_violation_of(error, "containers.name")) {
    return make_error(Errc::already_exists, "container name \"" + record.name + "\" is already in use");
  }
  if (is_unique_violation_of(error, "containers.id")) {
    return make_error(Errc::already_exists, "container " + record.id + " already exists");
  }
  return error;
}

// The foreign keys would refuse these too, but without saying which reference is missing.
Result<void> require_sandbox(Connection& connection, const ContainerRecord& record) {
  auto sandbox = query_optional<bool>(connection, "SELECT 1 FROM sandboxes WHERE id = ?", record.sandbox_id,
                                      [](const Statement&) -> Result<bool> { return true; });
  if (!sandbox) return sandbox.error();
  if (!*sandbox) {
    return make_error(Errc::failed_precondition, "container \"" + record.name + "\" refers to sandbox \"" +
                                                     record.sandbox_id + "\", which does not exist");
  }
  return {};
}

Result<void> require_layer(Connection& connection, const ContainerRecord& record) {
  if (!record.top_layer) return {};
  auto layer = query_optional<bool>(connection, "SELECT 1 FROM layers WHERE id = ?", *record.top_layer,
                                    [](const Statement&) -> Result<bool> { return true; });
  if (!layer) return layer.error();
  if (!*layer) {
    return make_error(Errc::failed_precondition, "container \"" + record.name + "\" refers to layer \"" +
                                                     *record.top_layer + "\", which does not exist");
  }
  return {};
}

}  // namespace

Result<void> insert_container_row(Connection& connection, const ContainerRecord& record) {
  SILO_TRY(require_sandbox(connection, record));
  SILO_TRY(require_layer(connection, record));
  auto insert = connection.prepare(
      "INSERT INTO containers (id, name, sandbox_id, isolation, state, state_reason, top_layer, labels, spec, "
      "created_at, started_at, finished_at, exit_code, backend_handle) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  SILO_TRY(insert->bind_all(record.id, record.name, record.sandbox_id, to_string(record.isolation),
                               to_string(record.state), record.state_reason, record.top_layer,
                               encode_map(record.labels), encode_json(record.spec), record.created_at,
                               record.started_at, record.finished_at, to_column(record.exit_code),
                               record.backend_handle));
  if (auto ran = insert->run(); !ran) return explain(ran.error(), record);
  return replace_labels(connection, kLabels, record.id, record.labels);
}

Result<void> update_container_row(Connection& connection, const ContainerRecord& record) {
  SILO_TRY(require_layer(connection, record));
  auto update = connection.prepare(
      "UPDATE containers SET name = ?2, state = ?3, state_reason = ?4, top_layer = ?5, spec = ?6, "
      "started_at = ?7, finished_at = ?8, exit_code = ?9, backend_handle = ?10 WHERE id = ?1");
  if (!update) return update.error();
  SILO_TRY(update->bind_all(record.id, record.name, to_string(record.state), record.state_reason,
                               record.top_layer, encode_json(record.spec), record.started_at, record.finished_at,
                               to_column(record.exit_code), record.backend_handle));
  if (auto ran = update->run(); !ran) return explain(ran.error(), record);
  if (connection.changes() == 0) return make_error(Errc::not_found, "no container with id \"" + record.id + "\"");

  // Most updates are state transitions that leave the labels alone; the child rows are rewritten
  // only when the stored JSON differs (equal maps encode to equal text).
  auto labels = connection.prepare("UPDATE containers SET labels = ?2 WHERE id = ?1 AND labels IS NOT ?2");
  if (!labels) return labels.error();
  SILO_TRY(labels->bind_all(record.id, encode_map(record.labels)));
  SILO_TRY(labels->run());
  if (connection.changes() == 0) return {};
  return replace_labels(connection, kLabels, record.id, record.labels);
}

Result<void> delete_container_row(Connection& connection, std::string_view id) {
  auto remove = connection.prepare("DELETE FROM containers WHERE id = ?");
  if (!remove) return remove.error();
  SILO_TRY(remove->bind_all(id));
  SILO_TRY(remove->run());
  if (connection.changes() == 0) return make_error(Errc::not_found, "no container with id \"" + std::string(id) + "\"");
  return {};
}

Result<ContainerRecord> get_container_row(Connection& connection, std::string_view id) {
  auto found = query_optional<ContainerRecord>(connection, kLookup.by_id, id, decode_row);
  if (!found) return found.error();
  if (!*found) return make_error(Errc::not_found, "no container with id \"" + std::string(id) + "\"");
  return std::move(**found);
}

Result<ContainerRecord> find_container_row(Connection& connection, std::string_view ref) {
  return find_by_reference<ContainerRecord>(connection, "container", ref, kLookup, decode_row);
}

Result<std::vector<ContainerRecord>> list_container_rows(Connection& connection, const ContainerFilter& filter) {
  QueryBuilder query(kSelect);
  if (filter.state) query.where("state = ?", std::string(to_string(*filter.state)));
  if (filter.isolation) query.where("isolation = ?", std::string(to_string(*filter.isolation)));
  if (filter.sandbox_id) query.where("sandbox_id = ?", *filter.sandbox_id);
  if (filter.name) query.where("name = ?", *filter.name);
  for (const auto& label : filter.labels) {
    if (label.value) {
      query.where("EXISTS (SELECT 1 FROM container_labels l WHERE l.container_id = containers.id AND l.key = ? "
                  "AND l.value = ?)",
                  label.key, *label.value);
    } else {
      query.where("EXISTS (SELECT 1 FROM container_labels l WHERE l.container_id = containers.id AND l.key = ?)",
                  label.key);
    }
  }
  query.append(" ORDER BY created_at, id");
  auto statement = query.prepare(connection);
  if (!statement) return statement.error();
  return read_all_rows<ContainerRecord>(*statement, decode_row);
}

}  // namespace silo::storage::sqlite
