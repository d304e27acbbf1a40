#include "core/model/json_object_reader.h"

#include "core/model/message_text.h"

#include <limits>

namespace silo {
namespace {

using message::invalid;

Error wrong_type(const std::string& field, std::string_view expected, const nlohmann::json& value) {
  return invalid(field + " must be " + std::string(expected) + ", not " + std::string(json_type_name(value)));
}

Error too_long(const std::string& field, std::size_t size, std::size_t max, std::string_view unit) {
  return invalid(field + " has " + std::to_string(size) + " " + std::string(unit) + "; at most " + std::to_string(max) +
                 " are allowed");
}

}  // namespace

std::string_view json_type_name(const nlohmann::json& value) noexcept {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer";
    case nlohmann::json::value_t::number_float:
      return "a fractional number";
    default:
      return "binary data";
  }
}

Result<JsonObjectReader> JsonObjectReader::open(const nlohmann::json& value, std::string path, std::string_view what,
                                                std::initializer_list<std::string_view> known) {
  std::string name = path.empty() ? "the " + std::string(what) : path;
  if (!value.is_object()) return wrong_type(name, "a JSON object", value);
  for (const auto& [key, member] : value.items()) {
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || k == key;
    if (is_known) continue;
    std::string allowed;
    for (std::string_view k : known) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
    return invalid("unknown field " + message::quoted(path.empty() ? key : path + "." + key) + " in " + name +
                   "; known fields are " + allowed);
  }
  return JsonObjectReader(value, std::move(path));
}

std::string JsonObjectReader::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const nlohmann::json* JsonObjectReader::member(std::string_view key) const {
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> JsonObjectReader::string(std::string_view key, std::size_t max_bytes) const {
  const nlohmann::json* value = member(key);
  if (value == nullptr) return std::optional<std::string>{};
  if (!value->is_string()) return wrong_type(field(key), "a string", *value);
  const auto& text = value->get_ref<const std::string&>();
  if (text.size() > max_bytes) return too_long(field(key), text.size(), max_bytes, "bytes");
  return std::optional<std::string>{text};
}

Result<std::optional<std::int64_t>> JsonObjectReader::integer(std::string_view key) const {
  const nlohmann::json* value = member(key);
  if (value == nullptr) return std::optional<std::int64_t>{};
  if (value->is_number_unsigned()) {
    auto number = value->get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return invalid(field(key) + " " + std::to_string(number) + " is out of range");
    }
    return std::optional<std::int64_t>{static_cast<std::int64_t>(number)};
  }
  if (!value->is_number_integer()) return wrong_type(field(key), "an integer", *value);
  return std::optional<std::int64_t>{value->get<std::int64_t>()};
}

Result<std::optional<bool>> JsonObjectReader::boolean(std::string_view key) const {
  const nlohmann::json* value = member(key);
  if (value == nullptr) return std::optional<bool>{};
  if (!value->is_boolean()) return wrong_type(field(key), "true or false", *value);
  return std::optional<bool>{value->get<bool>()};
}

Result<std::optional<std::vector<std::string>>> JsonObjectReader::string_array(std::string_view key,
                                                                               std::size_t max_items,
                                                                               std::size_t max_item_bytes) const {
  const nlohmann::json* value = member(key);
  if (value == nullptr) return std::optional<std::vector<std::string>>{};
  if (!value->is_array()) return wrong_type(field(key), "an array of strings", *value);
  if (value->size() > max_items) return too_long(field(key), value->size(), max_items, "entries");
  std::vector<std::string> out;
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    std::string where = field(key) + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return wrong_type(where, "a string", item);
    const auto& text = item.get_ref<const std::string&>();
    if (text.size() > max_item_bytes) return too_long(where, text.size(), max_item_bytes, "bytes");
    out.push_back(text);
  }
  return std::optional<std::vector<std::string>>{std::move(out)};
}

Result<std::optional<StringMap>> JsonObjectReader::string_map(std::string_view key, std::size_t max_entries,
                                                              std::size_t max_bytes) const {
  const nlohmann::json* value = member(key);
  if (value == nullptr) return std::optional<StringMap>{};
  if (!value->is_object()) return wrong_type(field(key), "an object of strings", *value);
  if (value->size() > max_entries) return too_long(field(key), value->size(), max_entries, "entries");
  StringMap out;
  for (const auto& [name, item] : value->items()) {
    std::string where = field(key) + "[" + message::quoted(name) + "]";
    if (name.size() > max_bytes) return too_long(where + " key", name.size(), max_bytes, "bytes");
    if (!item.is_string()) return wrong_type(where, "a string", item);
    const auto& text = item.get_ref<const std::string&>();
    if (text.size() > max_bytes) return too_long(where, text.size(), max_bytes, "bytes");
    out.emplace(name, text);
  }
  return std::optional<StringMap>{std::move(out)};
}

}  // namespace silo
