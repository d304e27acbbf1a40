#include "service/config_keys.h"

#include "service/tls_config.h"

#include "service/role_config.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace silo::service {
namespace {

Error wrong_type(std::string_view key, std::string_view want) {
  return make_error(Errc::invalid_argument, "config key \"" + std::string(key) + "\" must be " + std::string(want));
}

Error bad_flag(std::string_view key, std::string_view value, std::string_view want) {
  return make_error(Errc::invalid_argument,
                    "--" + std::string(key) + " \"" + std::string(value) + "\" is invalid: must be " + std::string(want));
}

using StringField = std::string DaemonConfig::*;

ConfigKey string_key(std::string_view name, std::string_view short_flag, std::string_view hint,
                     std::string_view description, StringField field) {
  return {name, short_flag, hint, description,
          [name, field](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            if (!value.is_string()) return wrong_type(name, "a string");
            config.*field = value.get<std::string>();
            return {};
          },
          [field](std::string_view value, DaemonConfig& config, bool) -> Result<void> {
            config.*field = std::string(value);
            return {};
          }};
}

// A positive count, both from JSON and from flag text.
template <class Apply>
ConfigKey count_key(std::string_view name, std::string_view description, Apply apply) {
  constexpr std::string_view kWant = "a whole number from 1 to 1000000000";
  auto valid = [](std::int64_t n) { return n >= 1 && n <= 1'000'000'000; };
  return {name, "", "N", description,
          [=](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            if (!value.is_number_integer() || !valid(value.get<std::int64_t>())) return wrong_type(name, kWant);
            apply(config, static_cast<std::size_t>(value.get<std::int64_t>()));
            return {};
          },
          [=](std::string_view text, DaemonConfig& config, bool) -> Result<void> {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc() || end != text.data() + text.size() || !valid(n)) return bad_flag(name, text, kWant);
            apply(config, static_cast<std::size_t>(n));
            return {};
          }};
}

using LayerLimit = std::uint64_t layers::ExtractLimits::*;

// A size or count bound on layer imports: a whole number from 1 to 2^50, from JSON or flag text.
ConfigKey layer_limit_key(std::string_view name, std::string_view description, LayerLimit field) {
  constexpr std::string_view kWant = "a whole number from 1 to 1125899906842624 (2^50)";
  auto valid = [](std::uint64_t n) { return n >= 1 && n <= (1ULL << 50); };
  return {name, "", "N", description,
          [=](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            if (!value.is_number_unsigned() || !valid(value.get<std::uint64_t>())) return wrong_type(name, kWant);
            config.layer_limits.*field = value.get<std::uint64_t>();
            return {};
          },
          [=](std::string_view text, DaemonConfig& config, bool) -> Result<void> {
            std::uint64_t n = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc() || end != text.data() + text.size() || !valid(n)) return bad_flag(name, text, kWant);
            config.layer_limits.*field = n;
            return {};
          }};
}

using Duration = std::chrono::milliseconds api::Limits::*;

std::optional<std::chrono::milliseconds> to_millis(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 86400.0 * 365) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
}

ConfigKey seconds_key(std::string_view name, std::string_view description, Duration field) {
  constexpr std::string_view kWant = "a number of seconds greater than 0 (fractions allowed)";
  return {name, "", "SECONDS", description,
          [=](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            auto millis = value.is_number() ? to_millis(value.get<double>()) : std::nullopt;
            if (!millis) return wrong_type(name, kWant);
            config.limits.*field = *millis;
            return {};
          },
          [=](std::string_view text, DaemonConfig& config, bool) -> Result<void> {
            double seconds = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
            auto millis = (ec == std::errc() && end == text.data() + text.size()) ? to_millis(seconds) : std::nullopt;
            if (!millis) return bad_flag(name, text, kWant);
            config.limits.*field = *millis;
            return {};
          }};
}

ConfigKey hosts_key() {
  return {"hosts", "-H", "unix:///PATH|tcp://IP:PORT", "where to serve (repeatable; flag name --host); tcp needs --tlsverify unless on loopback",
          [](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            bool ok = value.is_array() && !value.empty();
            for (const auto& item : value) ok = ok && item.is_string();
            if (!ok) return wrong_type("hosts", "a non-empty array of strings such as [\"unix:///run/silo/silod.sock\"]");
            config.hosts = value.get<std::vector<std::string>>();
            return {};
          },
          [](std::string_view value, DaemonConfig& config, bool first_use) -> Result<void> {
            if (first_use) config.hosts.clear();  // flags replace the file's list instead of adding to it
            config.hosts.emplace_back(value);
            return {};
          }};
}

// A list of non-empty strings: a JSON array in the file, a repeatable flag on the command line
// (the flags replace the file's list instead of adding to it).
ConfigKey string_list_key(std::string_view name, std::string_view metavar, std::string_view help, std::string_view example,
                          std::vector<std::string> DaemonConfig::*field) {
  return {name, "", metavar, help,
          [name, example, field](const nlohmann::json& value,
                                                                            DaemonConfig& config) -> Result<void> {
            bool ok = value.is_array();
            for (const auto& item : value) ok = ok && item.is_string() && !item.get<std::string>().empty();
            if (!ok) return wrong_type(name, "an array of " + std::string(example));
            config.*field = value.get<std::vector<std::string>>();
            return {};
          },
          [name, metavar, field](std::string_view value, DaemonConfig& config,
                                                                            bool first_use) -> Result<void> {
            if (value.empty()) {
              return make_error(Errc::invalid_argument, "--" + std::string(name) + " needs a " + std::string(metavar));
            }
            if (first_use) (config.*field).clear();
            (config.*field).emplace_back(value);
            return {};
          }};
}

std::vector<ConfigKey> build_keys() {
  std::vector<ConfigKey> keys;
  keys.push_back(hosts_key());
  keys.push_back(string_key("data-root", "", "DIR", "where silod keeps its state (silo.db)", &DaemonConfig::data_root));
  keys.push_back(string_key("log-level", "-l", "LEVEL", "trace, debug, info, warn, error, critical or off",
                            &DaemonConfig::log_level));
  keys.push_back(string_key("group", "-G", "GROUP", "group that owns the socket (mode 0660; default: silod's own); on Windows, an account given read/write on the named pipe",
                            &DaemonConfig::group));
  keys.push_back(string_list_key(
      "pipe-groups", "GROUP",
      "Windows: a group or account given read/write on the named pipe (repeatable); an unknown one stops startup",
      "group names such as [\"docker-users\"]", &DaemonConfig::pipe_groups));
  keys.push_back(string_list_key(
      "operator-mount-roots", "DIR",
      "a host folder under which operators may bind mount (repeatable); mounts elsewhere need admin (default: none)",
      "absolute folder paths such as [\"/srv/containers\"]", &DaemonConfig::operator_mount_roots));
  keys.push_back(string_key("admin-group", "", "GROUP",
                            "members of this group are admin (may create HostProcess containers); root always is",
                            &DaemonConfig::admin_group));
  keys.push_back(string_key("runc-path", "", "PATH", "the runc executable for process isolation on Linux (a bare name is searched in PATH)",
                            &DaemonConfig::runc_path));
  add_role_keys(keys);
  keys.push_back(count_key("max-connections", "open connections served at once; more get 503",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_connections = n; }));
  keys.push_back(count_key("max-remote-connections",
                           "TCP connections at once (default: three quarters of max-connections); the rest stays for the local socket",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_remote_connections = n; }));
  keys.push_back(count_key("max-connections-per-peer", "open TCP connections from one address; more are closed at once",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_connections_per_peer = n; }));
  keys.push_back(count_key("max-pending-handshakes",
                           "TCP connections still in their TLS handshake; a new one past it cuts the oldest",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_pending_handshakes = n; }));
  keys.push_back(count_key("max-header-bytes", "request line and headers; more get 431",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_header_bytes = n; }));
  keys.push_back(count_key("max-body-bytes", "JSON request bodies; more get 413",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_body_bytes = n; }));
  keys.push_back(count_key("max-json-depth", "nesting of JSON bodies; deeper gets 400",
                           [](DaemonConfig& c, std::size_t n) { c.limits.max_json_depth = n; }));
  keys.push_back(layer_limit_key("layer-max-bytes", "one layer: its upload body and its uncompressed tar, in bytes; more gets 413 or 400",
                                  &layers::ExtractLimits::max_stream_bytes));
  keys.push_back(layer_limit_key("layer-max-file-bytes", "one regular file in a layer tar, in bytes",
                                  &layers::ExtractLimits::max_file_bytes));
  keys.push_back(layer_limit_key("layer-max-entries", "entries (files, folders, links) in one layer tar",
                                  &layers::ExtractLimits::max_entries));
  keys.push_back(seconds_key("idle-timeout", "keep-alive wait for the next request", &api::Limits::idle_timeout));
  keys.push_back(seconds_key("handshake-timeout", "time to complete the TLS handshake after connecting",
                             &api::Limits::handshake_timeout));
  keys.push_back(seconds_key("header-timeout", "time to send the request headers", &api::Limits::header_timeout));
  keys.push_back(seconds_key("body-timeout", "time to send the request body", &api::Limits::body_timeout));
  keys.push_back(seconds_key("write-timeout", "time for a client to take each response write", &api::Limits::write_timeout));
  keys.push_back(seconds_key("shutdown-timeout", "grace for in-flight requests on SIGTERM", &api::Limits::shutdown_grace));
  add_tls_keys(keys);
  return keys;
}

}  // namespace

std::span<const ConfigKey> config_keys() {
  static const std::vector<ConfigKey> keys = build_keys();
  return keys;
}

const ConfigKey* find_config_key(std::string_view name) {
  for (const auto& key : config_keys()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

}  // namespace silo::service
