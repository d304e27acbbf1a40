#include "service/tls_config.h"

#include "api/transport/tcp_endpoint.h"

#include <nlohmann/json.hpp>

namespace silo::service {
namespace {

using TlsField = std::string TlsSettings::*;

ConfigKey tls_file_key(std::string_view name, std::string_view description, TlsField field) {
  return {name, "", "FILE", description,
          [name, field](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
            if (!value.is_string()) return make_error(Errc::invalid_argument, "config key \"" + std::string(name) + "\" must be a string");
            config.tls.*field = value.get<std::string>();
            return {};
          },
          [field](std::string_view value, DaemonConfig& config, bool) -> Result<void> {
            config.tls.*field = std::string(value);
            return {};
          }};
}

Result<bool> parse_switch(std::string_view name, std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return make_error(Errc::invalid_argument, "--" + std::string(name) + "=" + std::string(text) + " is invalid: must be true or false");
}

ConfigKey tlsverify_key() {
  ConfigKey key{"tlsverify", "", "", "serve tcp:// hosts over TLS, requiring client certificates signed by --tlscacert",
                [](const nlohmann::json& value, DaemonConfig& config) -> Result<void> {
                  if (!value.is_boolean()) return make_error(Errc::invalid_argument, "config key \"tlsverify\" must be true or false");
                  config.tls.verify = value.get<bool>();
                  return {};
                },
                [](std::string_view text, DaemonConfig& config, bool) -> Result<void> {
                  auto on = parse_switch("tlsverify", text);
                  if (!on) return on.error();
                  config.tls.verify = *on;
                  return {};
                }};
  key.is_switch = true;
  return key;
}

// Accepted as a name only to say why it does nothing: a server that does not verify clients would
// let anyone who reaches the port control the host.
ConfigKey tls_key() {
  auto refuse = [] {
    return make_error(Errc::invalid_argument,
                      "--tls (TLS without client certificates) is not supported: use --tlsverify with --tlscacert, "
                      "--tlscert and --tlskey; `silod tls init` creates them");
  };
  ConfigKey key{"tls", "", "", "not supported (TLS without client certificates); use --tlsverify",
                [refuse](const nlohmann::json&, DaemonConfig&) -> Result<void> { return refuse(); },
                [refuse](std::string_view, DaemonConfig&, bool) -> Result<void> { return refuse(); }};
  key.is_switch = true;
  return key;
}

std::string missing_tls_files(const TlsSettings& tls) {
  std::string missing;
  auto note = [&](const std::string& value, std::string_view flag) {
    if (value.empty()) missing += (missing.empty() ? "" : ", ") + std::string(flag);
  };
  note(tls.ca_file, "--tlscacert");
  note(tls.cert_file, "--tlscert");
  note(tls.key_file, "--tlskey");
  return missing;
}

}  // namespace

void add_tls_keys(std::vector<ConfigKey>& keys) {
  keys.push_back(tlsverify_key());
  keys.push_back(tls_file_key("tlscacert", "CA certificate(s) that client certificates must chain to (only these)",
                              &TlsSettings::ca_file));
  keys.push_back(tls_file_key("tlscert", "silod's TLS certificate (PEM, chain allowed)", &TlsSettings::cert_file));
  keys.push_back(tls_file_key("tlskey", "silod's TLS private key (PEM)", &TlsSettings::key_file));
  keys.push_back(tls_file_key("tlscrl", "certificate revocation list(s) of the CA (PEM); checked when given",
                              &TlsSettings::crl_file));
  keys.push_back(tls_key());
}

Result<void> validate_tls_hosts(const DaemonConfig& config) {
  const auto& tls = config.tls;
  bool files_given = !tls.ca_file.empty() || !tls.cert_file.empty() || !tls.key_file.empty() || !tls.crl_file.empty();
  if (!tls.verify && files_given) {
    return make_error(Errc::invalid_argument, "TLS files are given but --tlsverify is not; add --tlsverify (TLS without "
                                              "client certificates is not supported)");
  }
  if (tls.verify) {
    if (auto missing = missing_tls_files(tls); !missing.empty()) {
      return make_error(Errc::invalid_argument, "--tlsverify needs " + missing +
                                                    "; `silod tls init --dir DIR --name HOST` creates a CA and certificates");
    }
  }
  for (const auto& host : config.hosts) {
    if (!host.starts_with("tcp://")) continue;
    auto endpoint = api::tcp_endpoint(host);
    if (!endpoint) return endpoint.error();
    if (!tls.verify && !endpoint->address().is_loopback()) {
      return make_error(Errc::invalid_argument,
                        "refusing to serve " + host + " without TLS: anyone who can reach it could control this host. "
                        "Add --tlsverify --tlscacert CA --tlscert CERT --tlskey KEY (`silod tls init --dir DIR --name HOST` "
                        "creates them), or listen on a loopback address such as tcp://127.0.0.1:2375");
    }
  }
  return {};
}

}  // namespace silo::service
