// The table of configuration keys: each has a name (used in the JSON file and as --name), a
// description for --help, and setters from JSON and from flag text. One table, so the file, the
// flags and the help can never disagree.
#pragma once

#include "service/config.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <span>
#include <string_view>

namespace silo::service {

struct ConfigKey {
  std::string_view name;
  std::string_view short_flag;  // "-H", or empty
  std::string_view value_hint;  // "PATH", "N", "SECONDS"
  std::string_view description;
  std::function<Result<void>(const nlohmann::json&, DaemonConfig&)> from_json;
  std::function<Result<void>(std::string_view, DaemonConfig&, bool first_use)> from_flag;
  bool is_switch = false;  // a flag that may stand alone (--tlsverify means --tlsverify=true)
};

std::span<const ConfigKey> config_keys();
const ConfigKey* find_config_key(std::string_view name);

}  // namespace silo::service
