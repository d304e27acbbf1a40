#include "core/engine/hcs/documents/document_parts.h"

#include <cctype>

namespace silo::hcs::parts {

nlohmann::ordered_json schema_version() {
  nlohmann::ordered_json version;
  version["Major"] = 2;
  version["Minor"] = 1;
  return version;
}

Result<void> check_guid(std::string_view field, std::string_view value) {
  static constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  bool ok = value.size() == kShape.size();
  for (std::size_t i = 0; ok && i < value.size(); ++i) {
    ok = kShape[i] == '-' ? value[i] == '-' : std::isxdigit(static_cast<unsigned char>(value[i])) != 0;
  }
  if (ok) return {};
  return make_error(Errc::invalid_argument, std::string(field) + " \"" + std::string(value) +
                                                "\" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

Result<std::string> volume_path(std::string_view value) {
  static constexpr std::string_view kPrefix = "\\\\?\\Volume{";
  std::string path(value);
  if (!path.empty() && path.back() != '\\') path.push_back('\\');
  bool shaped = path.size() == kPrefix.size() + 36 + 2 && path.compare(0, kPrefix.size(), kPrefix) == 0 &&
                path[path.size() - 2] == '}';
  if (shaped && check_guid("", std::string_view(path).substr(kPrefix.size(), 36))) return path;
  return make_error(Errc::invalid_argument, "the scratch path \"" + std::string(value) +
                                                "\" must be a volume GUID path \\\\?\\Volume{GUID}\\");
}

bool is_named_pipe(std::string_view path) {
  static constexpr std::string_view kPrefix = "\\\\.\\pipe\\";
  if (path.size() <= kPrefix.size()) return false;
  for (std::size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(path[i])) != kPrefix[i]) return false;
  }
  return true;
}

nlohmann::ordered_json container_registry_changes() {
  nlohmann::ordered_json key;
  key["Hive"] = "System";
  key["Name"] = "ControlSet001\\Control";
  nlohmann::ordered_json value;
  value["Key"] = std::move(key);
  value["Name"] = "WaitToKillServiceTimeout";
  value["Type"] = "String";
  value["StringValue"] = "2147483647";
  nlohmann::ordered_json changes;
  changes["AddValues"] = nlohmann::ordered_json::array({std::move(value)});
  return changes;
}

}  // namespace silo::hcs::parts
