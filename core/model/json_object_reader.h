// Strict, non-throwing reading of one JSON object of a request body: unknown fields are rejected
// by name, every value has its type checked, strings and arrays are bounded before they are
// copied, and null counts as "not given". Field names in messages carry the object's path
// ("resources.cpuCount", "mounts[2].target").
#pragma once

#include "core/errors.h"
#include "core/model/records.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silo {

class JsonObjectReader {
 public:
  // Fails unless `value` is an object whose keys are all in `known`. `path` is the object's own
  // field path ("" at the top, "resources" for a nested one); `what` names it for the top level
  // ("container spec").
  static Result<JsonObjectReader> open(const nlohmann::json& value, std::string path, std::string_view what,
                                       std::initializer_list<std::string_view> known);

  Result<std::optional<std::string>> string(std::string_view key, std::size_t max_bytes) const;
  Result<std::optional<std::int64_t>> integer(std::string_view key) const;
  Result<std::optional<bool>> boolean(std::string_view key) const;
  Result<std::optional<std::vector<std::string>>> string_array(std::string_view key, std::size_t max_items,
                                                               std::size_t max_item_bytes) const;
  // A JSON object of strings; at most max_entries, each key and value at most max_bytes.
  Result<std::optional<StringMap>> string_map(std::string_view key, std::size_t max_entries,
                                              std::size_t max_bytes) const;
  // The raw member for nested objects and arrays of objects; nullptr when absent or null.
  const nlohmann::json* member(std::string_view key) const;

  // "resources.cpuCount" for key "cpuCount" in the reader opened at "resources".
  std::string field(std::string_view key) const;

 private:
  JsonObjectReader(const nlohmann::json& object, std::string path) : object_(&object), path_(std::move(path)) {}

  const nlohmann::json* object_;
  std::string path_;
};

// "string", "number", "array", ... for messages.
std::string_view json_type_name(const nlohmann::json& value) noexcept;

}  // namespace silo
