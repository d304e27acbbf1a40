#include "storage/sqlite/row_codec.h"

#include "core/ids.h"

namespace silo::storage::sqlite {

std::string encode_json(const nlohmann::json& value) {
  // Text comes from the API; invalid UTF-8 is replaced instead of throwing out of the store.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string encode_map(const StringMap& map) { return encode_json(nlohmann::json(map)); }

Result<nlohmann::json> decode_json(std::string_view text, std::string_view what) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return make_error(Errc::internal, "stored " + std::string(what) + " is not valid JSON");
  }
  // json converts to anything, so the value is placed explicitly rather than converted.
  return Result<nlohmann::json>(boost::system::in_place_value, std::move(value));
}

Result<StringMap> decode_map(std::string_view text, std::string_view what) {
  auto value = decode_json(text, what);
  if (!value) return value.error();
  if (!value->is_object()) return make_error(Errc::internal, "stored " + std::string(what) + " is not a JSON object");
  StringMap map;
  for (const auto& [key, item] : value->items()) {
    if (!item.is_string()) {
      return make_error(Errc::internal, "stored " + std::string(what) + " \"" + key + "\" is not a string");
    }
    map.emplace(key, item.get<std::string>());
  }
  return map;
}

Result<void> replace_labels(Connection& connection, const LabelTableSql& sql, std::string_view owner_id,
                            const StringMap& labels) {
  {
    auto remove = connection.prepare(sql.delete_all);
    if (!remove) return remove.error();
    SILO_TRY(remove->bind_all(owner_id));
    SILO_TRY(remove->run());
  }
  auto insert = connection.prepare(sql.insert_one);
  if (!insert) return insert.error();
  for (const auto& [key, value] : labels) {
    SILO_TRY(insert->bind_all(owner_id, key, value));
    SILO_TRY(insert->run());
    insert->reset();
  }
  return {};
}

Error stored_row_error(std::string_view kind, std::string_view id, const Error& error) {
  return make_error(Errc::internal, std::string(kind) + " " + std::string(ids::shorten(id)) + ": " + error.message);
}

}  // namespace silo::storage::sqlite
