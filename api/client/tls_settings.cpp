#include "api/client/tls_settings.h"

#include <cstdlib>
#include <filesystem>

namespace silo::client {
namespace {

std::optional<std::string> env(std::string_view name) {
  // Read once at startup by a single thread; nothing in silo sets the environment.
  const char* value = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string cert_dir() {
  if (auto dir = env(kCertPathEnvVar)) return *dir;
  if (auto home = env("HOME")) return *home + "/.silo";
  return ".silo";
}

Result<std::string> pick_file(const std::optional<std::string>& flag, const std::string& dir, std::string_view name,
                              std::string_view flag_name) {
  std::string path = flag ? *flag : dir + "/" + std::string(name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return make_error(Errc::invalid_argument,
                      "TLS file " + path + " does not exist; give " + std::string(flag_name) + " or set " +
                          std::string(kCertPathEnvVar) + " to a folder with ca.pem, cert.pem and key.pem");
  }
  return path;
}

}  // namespace

Result<void> apply_tls_settings(const TlsFlags& flags, Endpoint& endpoint) {
  bool from_flags = flags.verify || flags.ca_file || flags.cert_file || flags.key_file;
  auto env_verify = env(kTlsVerifyEnvVar);
  bool from_env = env_verify && *env_verify != "0" && *env_verify != "false";
  if (!from_flags && !from_env) return {};
  if (endpoint.transport != Transport::tcp) {
    if (!from_flags) return {};
    return make_error(Errc::invalid_argument,
                      "--tlsverify and the --tls* files apply to tcp:// hosts; " + endpoint.to_string() + " is local");
  }
  std::string dir = cert_dir();
  TlsClientFiles files;
  auto ca = pick_file(flags.ca_file, dir, "ca.pem", "--tlscacert");
  if (!ca) return ca.error();
  auto cert = pick_file(flags.cert_file, dir, "cert.pem", "--tlscert");
  if (!cert) return cert.error();
  auto key = pick_file(flags.key_file, dir, "key.pem", "--tlskey");
  if (!key) return key.error();
  endpoint.tls = TlsClientFiles{*ca, *cert, *key};
  return {};
}

}  // namespace silo::client
