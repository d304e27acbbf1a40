#include "service/role_config.h"

#include "core/model/identity.h"

#include <nlohmann/json.hpp>

namespace silo::service {
namespace {

Result<std::pair<std::string, std::string>> role_entry(std::string key, const std::string& role) {
  if (key.empty()) return make_error(Errc::invalid_argument, "tls-roles: an entry has an empty subject or name");
  if (!parse_role(role)) {
    return make_error(Errc::invalid_argument, "tls-roles: \"" + key + "\" maps to \"" + role +
                                                  "\", which is no role; use admin, operator or read-only");
  }
  return std::pair{std::move(key), role};
}

ConfigKey tls_roles_key() {
  return {"tls-roles", "", "SUBJECT_OR_SAN=ROLE",
          "map a client certificate's subject (\"CN=ci,O=example\") or SAN (\"DNS:ci.example\") to admin, "
          "operator or read-only; wins over the OU (repeatable; in the file an object)",
          [](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            if (!value.is_object()) {
              return make_error(Errc::invalid_argument,
                                "config key \"tls-roles\" must be an object such as {\"DNS:ci.example\": \"operator\"}");
            }
            std::vector<std::pair<std::string, std::string>> roles;
            for (const auto& [key, role] : value.items()) {
              if (!role.is_string()) return make_error(Errc::invalid_argument, "tls-roles: \"" + key + "\" must map to a string");
              auto entry = role_entry(key, role.get<std::string>());
              if (!entry) return entry.error();
              roles.push_back(std::move(*entry));
            }
            config.tls_roles = std::move(roles);
            return {};
          },
          [](std::string_view text, DaemonConfig& config, bool first_use) -> Result<void> {
            // The role is after the last '=': subjects hold '=' themselves, role names never do.
            auto eq = text.rfind('=');
            if (eq == std::string_view::npos) {
              return make_error(Errc::invalid_argument, "--tls-roles \"" + std::string(text) +
                                                            "\" is invalid: must be SUBJECT_OR_SAN=ROLE");
            }
            auto entry = role_entry(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
            if (!entry) return entry.error();
            if (first_use) config.tls_roles.clear();  // flags replace the file's mapping
            config.tls_roles.push_back(std::move(*entry));
            return {};
          }};
}

}  // namespace

void add_role_keys(std::vector<ConfigKey>& keys) {
  keys.push_back({"operator-group", "", "GROUP",
                  "only members of this group (and admins) are operator on the socket; without it every member "
                  "of the socket's group is",
                  [](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
                    if (!value.is_string()) return make_error(Errc::invalid_argument, "config key \"operator-group\" must be a string");
                    config.operator_group = value.get<std::string>();
                    return {};
                  },
                  [](std::string_view value, DaemonConfig& config, bool) -> Result<void> {
                    config.operator_group = std::string(value);
                    return {};
                  }});
  keys.push_back(tls_roles_key());
}

}  // namespace silo::service
