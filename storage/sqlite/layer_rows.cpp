#include "storage/sqlite/layer_rows.h"

#include "core/ids.h"
#include "storage/sqlite/lookup.h"
#include "storage/sqlite/sqlite_errors.h"

namespace silo::storage::sqlite {
namespace {

constexpr LookupSql kLookup{
    "SELECT id, parent, size_bytes, created_at FROM layers WHERE id = ?",
    "",
    "SELECT id FROM layers WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
};

Result<LayerRecord> decode_row(const Statement& row) {
  LayerRecord record;
  record.id = row.column_text(0);
  record.parent = row.column_optional_text(1);
  record.size_bytes = row.column_int64(2);
  record.created_at = row.column_int64(3);
  return record;
}

// The first user of a layer, as "layer <id>" or "container \"<name>\"", if any.
Result<std::optional<std::string>> first_user(Connection& connection, std::string_view id) {
  auto child = query_optional<std::string>(connection, "SELECT id FROM layers WHERE parent = ? LIMIT 1", id,
                                           [](const Statement& row) -> Result<std::string> {
                                             return "layer " + std::string(ids::shorten(row.column_text(0)));
                                           });
  if (!child || *child) return child;
  return query_optional<std::string>(connection, "SELECT name FROM containers WHERE top_layer = ? LIMIT 1", id,
                                     [](const Statement& row) -> Result<std::string> {
                                       return "container \"" + row.column_text(0) + "\"";
                                     });
}

}  // namespace

Result<void> insert_layer_row(Connection& connection, const LayerRecord& record) {
  if (record.parent) {
    auto parent = query_optional<bool>(connection, "SELECT 1 FROM layers WHERE id = ?", *record.parent,
                                       [](const Statement&) -> Result<bool> { return true; });
    if (!parent) return parent.error();
    if (!*parent) {
      return make_error(Errc::failed_precondition, "layer " + std::string(ids::shorten(record.id)) +
                                                       " has parent layer " + *record.parent +
                                                       ", which does not exist; import the parent first");
    }
  }
  auto insert = connection.prepare("INSERT INTO layers (id, parent, size_bytes, created_at) VALUES (?, ?, ?, ?)");
  if (!insert) return insert.error();
  SILO_TRY(insert->bind_all(record.id, record.parent, record.size_bytes, record.created_at));
  if (auto ran = insert->run(); !ran) {
    if (is_unique_violation_of(ran.error(), "layers.id")) {
      return make_error(Errc::already_exists, "layer " + record.id + " already exists");
    }
    return ran.error();
  }
  return {};
}

Result<void> delete_layer_row(Connection& connection, std::string_view id) {
  auto user = first_user(connection, id);
  if (!user) return user.error();
  if (*user) {
    return make_error(Errc::failed_precondition, "layer " + std::string(ids::shorten(id)) + " is still used by " +
                                                     **user + "; remove it first");
  }
  auto remove = connection.prepare("DELETE FROM layers WHERE id = ?");
  if (!remove) return remove.error();
  SILO_TRY(remove->bind_all(id));
  SILO_TRY(remove->run());
  if (connection.changes() == 0) return make_error(Errc::not_found, "no layer with id \"" + std::string(id) + "\"");
  return {};
}

Result<LayerRecord> find_layer_row(Connection& connection, std::string_view ref) {
  constexpr std::string_view kDigestPrefix = "sha256:";
  if (ref.starts_with(kDigestPrefix)) ref.remove_prefix(kDigestPrefix.size());
  return find_by_reference<LayerRecord>(connection, "layer", ref, kLookup, decode_row);
}

Result<std::vector<LayerRecord>> list_layer_rows(Connection& connection) {
  auto statement = connection.prepare("SELECT id, parent, size_bytes, created_at FROM layers ORDER BY created_at, id");
  if (!statement) return statement.error();
  return read_all_rows<LayerRecord>(*statement, decode_row);
}

}  // namespace silo::storage::sqlite
