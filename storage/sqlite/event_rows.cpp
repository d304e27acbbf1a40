#include "storage/sqlite/event_rows.h"

#include "storage/sqlite/query_builder.h"
#include "storage/sqlite/row_codec.h"

#include <limits>

namespace silo::storage::sqlite {

Result<EventRecord> append_event_row(Connection& connection, TimeNs time, const EventDraft& draft) {
  auto insert = connection.prepare(
      "INSERT INTO events (time, type, action, actor_id, attributes) VALUES (?, ?, ?, ?, ?)");
  if (!insert) return insert.error();
  SILO_TRY(insert->bind_all(time, draft.type, draft.action, draft.actor_id, encode_map(draft.attributes)));
  SILO_TRY(insert->run());
  return EventRecord{connection.last_insert_rowid(), time, draft.type, draft.action, draft.actor_id, draft.attributes};
}

Result<std::vector<EventRecord>> list_event_rows(Connection& connection, const EventQuery& query) {
  QueryBuilder builder("SELECT id, time, type, action, actor_id, attributes FROM events");
  if (query.after_id) builder.where("id > ?", *query.after_id);
  if (query.since) builder.where("time >= ?", *query.since);
  if (query.until) builder.where("time <= ?", *query.until);
  builder.where_in("type", query.types);
  builder.where_in("action", query.actions);
  builder.where_in("actor_id", query.actor_ids);
  const auto limit = query.limit > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())
                         ? std::numeric_limits<std::int64_t>::max()
                         : static_cast<std::int64_t>(query.limit);
  builder.append(" ORDER BY id LIMIT ?", limit);
  auto statement = builder.prepare(connection);
  if (!statement) return statement.error();
  std::vector<EventRecord> events;
  for (;;) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    EventRecord event{statement->column_int64(0), statement->column_int64(1), statement->column_text(2),
                      statement->column_text(3), statement->column_text(4), {}};
    auto attributes = decode_map(statement->column_text(5), "event attributes");
    if (!attributes) return stored_row_error("event", std::to_string(event.id), attributes.error());
    event.attributes = std::move(*attributes);
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::int64_t> last_event_id_row(Connection& connection) {
  // sqlite_sequence keeps the highest id ever handed out, even if that row was deleted later.
  return connection.query_int64(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)");
}

}  // namespace silo::storage::sqlite
