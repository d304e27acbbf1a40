// Builds a filter query from fixed SQL fragments and keeps the values apart, to be bound as
// parameters: the text that reaches SQLite never contains a value, only "?" placeholders.
#pragma once

#include "core/errors.h"
#include "storage/sqlite/connection.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace silo::storage::sqlite {

class QueryBuilder {
 public:
  explicit QueryBuilder(std::string_view select) : sql_(select) { sql_ += " WHERE 1 = 1"; }

  // `condition` is fixed text with exactly one "?" for `value`.
  void where(std::string_view condition, std::string value) {
    sql_ += " AND ";
    sql_ += condition;
    values_.emplace_back(std::move(value));
  }
  void where(std::string_view condition, std::int64_t value) {
    sql_ += " AND ";
    sql_ += condition;
    values_.emplace_back(value);
  }
  // `condition` is fixed text with two "?" placeholders.
  void where(std::string_view condition, std::string first, std::string second) {
    sql_ += " AND ";
    sql_ += condition;
    values_.emplace_back(std::move(first));
    values_.emplace_back(std::move(second));
  }
  // "<column> IN (?, ?, ...)", one placeholder per value; nothing when `values` is empty.
  void where_in(std::string_view column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql_ += " AND ";
    sql_ += column;
    sql_ += " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
      sql_ += i == 0 ? "?" : ", ?";
      values_.emplace_back(values[i]);
    }
    sql_ += ")";
  }
  void append(std::string_view fixed) { sql_ += fixed; }
  void append(std::string_view fixed, std::int64_t value) {
    sql_ += fixed;
    values_.emplace_back(value);
  }

  // Prepares the statement and binds every value in order.
  StatementLease prepare(Connection& connection) const {
    auto statement = connection.prepare(sql_);
    if (!statement) return statement;
    int index = 0;
    for (const auto& value : values_) {
      ++index;
      auto bound = std::visit([&](const auto& v) { return statement->bind(index, v); }, value);
      if (!bound) return StatementLease(bound.error());
    }
    return statement;
  }

 private:
  std::string sql_;
  std::vector<std::variant<std::string, std::int64_t>> values_;
};

}  // namespace silo::storage::sqlite
