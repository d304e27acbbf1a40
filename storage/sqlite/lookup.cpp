#include "storage/sqlite/lookup.h"

namespace silo::storage::sqlite {

Result<std::vector<std::string>> ids_with_prefix(Connection& connection, std::string_view sql, std::string_view prefix) {
  // Ids are lowercase hex, so every id that starts with `prefix` sorts at or after it and before
  // prefix + "g" ('g' follows 'f' and every digit in ASCII): a range the primary key index serves.
  const std::string low(prefix);
  const std::string high = low + "g";
  auto statement = connection.prepare(sql);
  if (!statement) return statement.error();
  SILO_TRY(statement->bind_all(low, high));
  std::vector<std::string> ids;
  for (int rows = 0; rows < 2; ++rows) {
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.push_back(statement->column_text(0));
  }
  return ids;
}

}  // namespace silo::storage::sqlite
