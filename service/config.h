// silod's configuration: defaults, then the JSON config file (--config), then command-line flags.
// Every config key is also a flag of the same name (--max-connections 64); unknown keys and flags
// are rejected by name, and a value of the wrong type names the key and what it must be.
#pragma once

#include "api/http/limits.h"
#include "core/errors.h"
#include "storage/layers/extract_limits.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace silo::service {

inline constexpr std::string_view kDefaultHost = "unix:///run/silo/silod.sock";
inline constexpr std::string_view kDefaultDataRoot = "/var/lib/silo";

// Mutual TLS for tcp:// hosts (--tlsverify and the files); see service/tls_config.h for the rules.
struct TlsSettings {
  bool verify = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string crl_file;  // empty: no revocation check
};

struct DaemonConfig {
  std::vector<std::string> hosts{std::string(kDefaultHost)};
  std::string data_root{kDefaultDataRoot};
  std::string log_level = "info";
  std::string group;  // socket group; empty keeps the daemon's own group (Windows: a pipe account too)
  // Windows: accounts or groups given read/write on the named pipe besides Administrators and SYSTEM.
  std::vector<std::string> pipe_groups;
  std::string admin_group;  // its members are admin besides root; empty: root only
  // Host folders under which operators may bind mount (core/model/host_access.h); empty: only
  // admins may bind mount host paths.
  std::vector<std::string> operator_mount_roots;
  // Roles (service/role_config.h): the socket group's members are operator unless this is set,
  // and then only its members are; tls-roles maps certificate subjects or SANs to roles.
  std::string operator_group;
  std::vector<std::pair<std::string, std::string>> tls_roles;  // validated role names
  std::string runc_path = "runc";  // process isolation on Linux: a path, or a name searched in PATH
  api::Limits limits;
  layers::ExtractLimits layer_limits;  // one layer import; layer-max-bytes also bounds the upload body
  TlsSettings tls;
  std::optional<std::string> config_file;
};

enum class Action { run, help, version };

// What the command line asked for, and the configuration it results in (file already applied).
struct Invocation {
  Action action = Action::run;
  DaemonConfig config;
  bool log_level_from_flag = false;
  // Keys given as flags: a SIGHUP re-read of the config file does not override them.
  std::set<std::string, std::less<>> keys_from_flags;
};

Result<Invocation> parse_invocation(const std::vector<std::string>& args);

// Applies a config file's text onto config (keys present override).
Result<void> apply_config_json(std::string_view text, std::string_view origin, DaemonConfig& config);
Result<void> apply_config_file(const std::string& path, DaemonConfig& config);

std::string usage_text();

// silod's first step on every platform: parses args; prints a parse error (exit 1), --help or
// --version (exit 0) and returns the exit code; returns the invocation when the daemon should run.
std::variant<Invocation, int> parse_or_answer(const std::vector<std::string>& args);

}  // namespace silo::service
