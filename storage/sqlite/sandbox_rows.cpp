#include "storage/sqlite/sandbox_rows.h"

#include "core/ids.h"
#include "storage/sqlite/lookup.h"
#include "storage/sqlite/query_builder.h"
#include "storage/sqlite/row_codec.h"
#include "storage/sqlite/sqlite_errors.h"

namespace silo::storage::sqlite {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, name, isolation, state, labels, annotations, spec, created_at, backend_handle FROM sandboxes";

constexpr LookupSql kLookup{
    "SELECT id, name, isolation, state, labels, annotations, spec, created_at, backend_handle FROM sandboxes "
    "WHERE id = ?",
    "SELECT id, name, isolation, state, labels, annotations, spec, created_at, backend_handle FROM sandboxes "
    "WHERE name = ?",
    "SELECT id FROM sandboxes WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
};

constexpr LabelTableSql kLabels{
    "DELETE FROM sandbox_labels WHERE sandbox_id = ?",
    "INSERT INTO sandbox_labels (sandbox_id, key, value) VALUES (?, ?, ?)",
};

Result<SandboxRecord> decode_row(const Statement& row) {
  SandboxRecord record;
  record.id = row.column_text(0);
  record.name = row.column_text(1);
  auto isolation = parse_isolation(row.column_text(2));
  if (!isolation) return stored_row_error("sandbox", record.id, isolation.error());
  auto state = parse_sandbox_state(row.column_text(3));
  if (!state) return stored_row_error("sandbox", record.id, state.error());
  auto labels = decode_map(row.column_text(4), "labels");
  if (!labels) return stored_row_error("sandbox", record.id, labels.error());
  auto annotations = decode_map(row.column_text(5), "annotations");
  if (!annotations) return stored_row_error("sandbox", record.id, annotations.error());
  auto spec = decode_json(row.column_text(6), "spec");
  if (!spec) return stored_row_error("sandbox", record.id, spec.error());
  record.isolation = isolation.value();
  record.state = state.value();
  record.labels = std::move(labels).value();
  record.annotations = std::move(annotations).value();
  record.spec = std::move(spec).value();
  record.created_at = row.column_int64(7);
  record.backend_handle = row.column_text(8);
  return record;
}

Error name_in_use(const SandboxRecord& record) {
  return make_error(Errc::already_exists, "sandbox name \"" + record.name + "\" is already in use");
}

// Names up to three containers still in the sandbox, so the user knows what to remove first.
Result<void> refuse_if_used(Connection& connection, std::string_view id) {
  auto users = connection.prepare("SELECT name FROM containers WHERE sandbox_id = ? ORDER BY name LIMIT 4");
  if (!users) return users.error();
  SILO_TRY(users->bind_all(id));
  std::string names;
  int count = 0;
  for (; count < 4; ++count) {
    auto row = users->step();
    if (!row) return row.error();
    if (!*row) break;
    if (count == 3) {
      names += ", ...";
      break;
    }
    names += (count == 0 ? "\"" : ", \"") + users->column_text(0) + "\"";
  }
  if (count == 0) return {};
  return make_error(Errc::failed_precondition, "sandbox " + std::string(ids::shorten(id)) +
                                                   " is still used by container(s) " + names + "; remove them first");
}

}  // namespace

Result<void> insert_sandbox_row(Connection& connection, const SandboxRecord& record) {
  auto insert = connection.prepare(
      "INSERT INTO sandboxes (id, name, isolation, state, labels, annotations, spec, created_at, backend_handle) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  SILO_TRY(insert->bind_all(record.id, record.name, to_string(record.isolation), to_string(record.state),
                               encode_map(record.labels), encode_map(record.annotations), encode_json(record.spec),
                               record.created_at, record.backend_handle));
  if (auto ran = insert->run(); !ran) {
    if (is_unique_violation_of(ran.error(), "sandboxes.name")) return name_in_use(record);
    if (is_unique_violation_of(ran.error(), "sandboxes.id")) {
      return make_error(Errc::already_exists, "sandbox " + record.id + " already exists");
    }
    return ran.error();
  }
  return replace_labels(connection, kLabels, record.id, record.labels);
}

Result<void> update_sandbox_row(Connection& connection, const SandboxRecord& record) {
  auto update = connection.prepare(
      "UPDATE sandboxes SET name = ?2, state = ?3, labels = ?4, annotations = ?5, spec = ?6, backend_handle = ?7 "
      "WHERE id = ?1");
  if (!update) return update.error();
  SILO_TRY(update->bind_all(record.id, record.name, to_string(record.state), encode_map(record.labels),
                               encode_map(record.annotations), encode_json(record.spec), record.backend_handle));
  if (auto ran = update->run(); !ran) {
    if (is_unique_violation_of(ran.error(), "sandboxes.name")) return name_in_use(record);
    return ran.error();
  }
  if (connection.changes() == 0) return make_error(Errc::not_found, "no sandbox with id \"" + record.id + "\"");
  return replace_labels(connection, kLabels, record.id, record.labels);
}

Result<void> delete_sandbox_row(Connection& connection, std::string_view id) {
  SILO_TRY(refuse_if_used(connection, id));
  auto remove = connection.prepare("DELETE FROM sandboxes WHERE id = ?");
  if (!remove) return remove.error();
  SILO_TRY(remove->bind_all(id));
  SILO_TRY(remove->run());
  if (connection.changes() == 0) return make_error(Errc::not_found, "no sandbox with id \"" + std::string(id) + "\"");
  return {};
}

Result<SandboxRecord> get_sandbox_row(Connection& connection, std::string_view id) {
  auto found = query_optional<SandboxRecord>(connection, kLookup.by_id, id, decode_row);
  if (!found) return found.error();
  if (!*found) return make_error(Errc::not_found, "no sandbox with id \"" + std::string(id) + "\"");
  return std::move(**found);
}

Result<SandboxRecord> find_sandbox_row(Connection& connection, std::string_view ref) {
  return find_by_reference<SandboxRecord>(connection, "sandbox", ref, kLookup, decode_row);
}

Result<std::vector<SandboxRecord>> list_sandbox_rows(Connection& connection, const SandboxFilter& filter) {
  QueryBuilder query(kSelect);
  if (filter.isolation) query.where("isolation = ?", std::string(to_string(*filter.isolation)));
  if (filter.name) query.where("name = ?", *filter.name);
  for (const auto& label : filter.labels) {
    if (label.value) {
      query.where("EXISTS (SELECT 1 FROM sandbox_labels l WHERE l.sandbox_id = sandboxes.id AND l.key = ? AND "
                  "l.value = ?)",
                  label.key, *label.value);
    } else {
      query.where("EXISTS (SELECT 1 FROM sandbox_labels l WHERE l.sandbox_id = sandboxes.id AND l.key = ?)",
                  label.key);
    }
  }
  query.append(" ORDER BY created_at, id");
  auto statement = query.prepare(connection);
  if (!statement) return statement.error();
  return read_all_rows<SandboxRecord>(*statement, decode_row);
}

}  // namespace silo::storage::sqlite
