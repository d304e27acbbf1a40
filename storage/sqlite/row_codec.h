// Conversions between records and column values shared by the per-record row files: string maps
// and specs as JSON text, enums as their names, and a stored row that no longer parses reported
// as internal with the object named.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "storage/sqlite/connection.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace silo::storage::sqlite {

// std::map dumps with sorted keys, so equal maps always give equal text (update_container relies
// on that to skip rewriting unchanged labels).
std::string encode_map(const StringMap& map);
std::string encode_json(const nlohmann::json& value);
Result<StringMap> decode_map(std::string_view text, std::string_view what);
Result<nlohmann::json> decode_json(std::string_view text, std::string_view what);

// Deletes the object's rows in a labels child table and inserts `labels` again.
struct LabelTableSql {
  const char* delete_all;  // one parameter: the owner id
  const char* insert_one;  // three parameters: owner id, key, value
};
Result<void> replace_labels(Connection& connection, const LabelTableSql& sql, std::string_view owner_id,
                            const StringMap& labels);

// Wraps a decode error with the object it came from: "container 0123abcd4567: stored state ...";
// always internal, because a stored row that does not parse is silo's fault, not the caller's.
Error stored_row_error(std::string_view kind, std::string_view id, const Error& error);

}  // namespace silo::storage::sqlite
