// Event rows: the append-only events table. Ids come from AUTOINCREMENT, so they only grow.
#pragma once

#include "core/clock.h"
#include "core/errors.h"
#include "core/model/records.h"
#include "core/store/metadata_store.h"
#include "storage/sqlite/connection.h"

#include <cstdint>
#include <vector>

namespace silo::storage::sqlite {

Result<EventRecord> append_event_row(Connection& connection, TimeNs time, const EventDraft& draft);
Result<std::vector<EventRecord>> list_event_rows(Connection& connection, const EventQuery& query);
// 0 when no event was ever appended.
Result<std::int64_t> last_event_id_row(Connection& connection);

}  // namespace silo::storage::sqlite
