// Finding one object by what a user typed: a full id, a unique id prefix, or a name. A full id and
// an exact name win over prefixes, so a container named "abc" is found by "abc" even when some id
// starts with "abc"; a prefix that matches two ids is refused (invalid_argument) rather than guessed.
#pragma once

#include "core/errors.h"
#include "core/ids.h"
#include "storage/sqlite/connection.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo::storage::sqlite {

struct LookupSql {
  std::string_view by_id;        // one parameter: the id
  std::string_view by_name;      // one parameter: the name; empty when the kind has no names
  std::string_view ids_between;  // two parameters: low (inclusive), high (exclusive); LIMIT 2
};

// Ids of the rows whose id starts with `prefix`, at most two (enough to tell unique from not).
Result<std::vector<std::string>> ids_with_prefix(Connection& connection, std::string_view sql, std::string_view prefix);

inline std::string not_found_message(std::string_view kind, std::string_view ref, const LookupSql& sql) {
  const std::string what = sql.by_name.empty() ? " with id \"" : " with id or name \"";
  return "no " + std::string(kind) + what + std::string(ref) + "\"";
}

// Runs a one-parameter query and reads its first row, if any, with `read_row(Statement&)`.
template <class Record, class ReadRow>
Result<std::optional<Record>> query_optional(Connection& connection, std::string_view sql, std::string_view param,
                                             ReadRow read_row) {
  auto statement = connection.prepare(sql);
  if (!statement) return statement.error();
  SILO_TRY(statement->bind_all(param));
  auto row = statement->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Record>();
  auto record = read_row(*statement);
  if (!record) return record.error();
  return std::optional<Record>(std::move(*record));
}

// Steps `statement` to its end and reads every row with `read_row(Statement&)`, in order.
template <class Record, class ReadRow>
Result<std::vector<Record>> read_all_rows(Statement& statement, ReadRow read_row) {
  std::vector<Record> records;
  for (;;) {
    auto row = statement.step();
    if (!row) return row.error();
    if (!*row) break;
    auto record = read_row(statement);
    if (!record) return record.error();
    records.push_back(std::move(*record));
  }
  return records;
}

template <class Record, class ReadRow>
Result<Record> find_by_reference(Connection& connection, std::string_view kind, std::string_view ref,
                                 const LookupSql& sql, ReadRow read_row) {
  if (ids::is_full_id(ref)) {
    auto found = query_optional<Record>(connection, sql.by_id, ref, read_row);
    if (!found) return found.error();
    if (*found) return std::move(**found);
  }
  if (!sql.by_name.empty() && !ref.empty()) {
    auto found = query_optional<Record>(connection, sql.by_name, ref, read_row);
    if (!found) return found.error();
    if (*found) return std::move(**found);
  }
  if (ids::is_id_prefix(ref) && !ids::is_full_id(ref)) {
    auto matches = ids_with_prefix(connection, sql.ids_between, ref);
    if (!matches) return matches.error();
    if (matches->empty()) return make_error(Errc::not_found, not_found_message(kind, ref, sql));
    auto id = ids::pick_unique(kind, ref, *matches);
    if (!id) return id.error();
    auto found = query_optional<Record>(connection, sql.by_id, *id, read_row);
    if (!found) return found.error();
    if (*found) return std::move(**found);
  }
  return make_error(Errc::not_found, not_found_message(kind, ref, sql));
}

}  // namespace silo::storage::sqlite
