#include "service/config.h"

#include "core/logging.h"
#include "service/build_info.h"
#include "service/config_keys.h"
#include "service/platform_defaults.h"
#include "service/tls_config.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace silo::service {
namespace {

constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

struct FlagUse {
  const ConfigKey* key;
  std::string value;
};

// "--host" and "-H" name the "hosts" key; every other flag is its key's name.
const ConfigKey* key_for_flag(std::string_view flag) {
  if (flag == "--host") return find_config_key("hosts");
  for (const auto& key : config_keys()) {
    if ((flag.starts_with("--") && flag.substr(2) == key.name && key.name != "hosts") ||
        (!key.short_flag.empty() && flag == key.short_flag)) {
      return &key;
    }
  }
  return nullptr;
}

// Takes the value of a flag at args[i]: "--x=v" or "--x v".
Result<std::string> flag_value(const std::vector<std::string>& args, std::size_t& i, std::string_view flag,
                               std::optional<std::string> inline_value) {
  if (inline_value) return *inline_value;
  if (i + 1 >= args.size()) return make_error(Errc::invalid_argument, std::string(flag) + " needs a value; see silod --help");
  return args[++i];
}

Result<void> validate(const DaemonConfig& config) {
  auto level = logging::parse_level(config.log_level);
  if (!level) return level.error();
  if (config.hosts.empty()) return make_error(Errc::invalid_argument, "no host to serve on; give --host unix:///PATH");
  if (config.data_root.empty() || !std::filesystem::path(config.data_root).is_absolute()) {
    return make_error(Errc::invalid_argument, "data root \"" + config.data_root + "\" must be an absolute path");
  }
  return validate_tls_hosts(config);
}

}  // namespace

Result<void> apply_config_json(std::string_view text, std::string_view origin, DaemonConfig& config) {
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return make_error(Errc::invalid_argument, "config file " + std::string(origin) + " is not a JSON object");
  }
  for (const auto& [name, value] : parsed.items()) {
    const auto* key = find_config_key(name);
    if (!key) {
      return make_error(Errc::invalid_argument,
                        "config file " + std::string(origin) + ": unknown key \"" + name + "\"; see silod --help for the keys");
    }
    auto applied = key->from_json(value, config);
    if (!applied) return make_error(Errc::invalid_argument, "config file " + std::string(origin) + ": " + applied.error().message);
  }
  return {};
}

Result<void> apply_config_file(const std::string& path, DaemonConfig& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return errno_error(Errc::invalid_argument, "cannot read config file " + path, errno);
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) return make_error(Errc::invalid_argument, "config file " + path + " is larger than 1 MiB");
  return apply_config_json(text, path, config);
}

Result<Invocation> parse_invocation(const std::vector<std::string>& args) {
  Invocation out;
  auto defaults = default_daemon_config();
  if (!defaults) return defaults.error();
  out.config = std::move(*defaults);
  std::vector<FlagUse> uses;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    if (flag == "--help" || flag == "-h") {
      out.action = Action::help;
      return out;
    }
    if (flag == "--version" || flag == "-v") {
      out.action = Action::version;
      return out;
    }
    if (flag == "--config" || flag == "--config-file") {
      auto value = flag_value(args, i, flag, inline_value);
      if (!value) return value.error();
      out.config.config_file = *value;
      continue;
    }
    const auto* key = key_for_flag(flag);
    if (!key) return make_error(Errc::invalid_argument, "unknown flag " + flag + "; see silod --help");
    auto value = key->is_switch && !inline_value ? Result<std::string>(std::string("true"))
                                                  : flag_value(args, i, flag, inline_value);
    if (!value) return value.error();
    uses.push_back({key, *value});
  }
  if (out.config.config_file) SILO_TRY(apply_config_file(*out.config.config_file, out.config));
  std::set<std::string_view> seen;
  for (const auto& use : uses) {
    SILO_TRY(use.key->from_flag(use.value, out.config, seen.insert(use.key->name).second));
  }
  out.log_level_from_flag = seen.contains("log-level");
  for (auto name : seen) out.keys_from_flags.emplace(name);
  SILO_TRY(validate(out.config));
  return out;
}

std::string usage_text() {
  auto platform_defaults = default_daemon_config();
  DaemonConfig defaults = platform_defaults ? *platform_defaults : DaemonConfig{};
  std::ostringstream out;
  out << "Usage: silod [OPTIONS]\n\n"
         "silo's daemon: serves the REST API on local sockets and keeps container state.\n\n"
         "Options:\n"
         "  --config FILE           JSON config file; its keys are the option names below, flags override it\n";
  for (const auto& key : config_keys()) {
    // Built by appending, not with `"literal" + string`: GCC 12 at -O3 warns falsely
    // (-Wrestrict) on that form, and warnings are errors.
    std::string flag;
    if (!key.short_flag.empty()) (flag += key.short_flag) += ", ";
    flag += "--";
    flag += key.name == "hosts" ? std::string_view("host") : std::string_view(key.name);
    (flag += " ") += key.value_hint;
    out << "  " << flag << std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') << "  " << key.description << "\n";
  }
  out << "  -h, --help              print this help\n"
         "  -v, --version           print the version\n\n"
         "  tls init --dir DIR --name HOST [--ip ADDR]...  create a CA, server and client certificates\n\n"
         "Defaults: --host "
      << defaults.hosts.front() << ", --data-root " << defaults.data_root
      << (defaults.config_file ? ", --config " : "") << defaults.config_file.value_or("")
      << ".\n";
#ifdef _WIN32
  out << "\nService: silod --register-service [--service-name NAME] [OPTIONS] registers silod with the\n"
         "Service Control Manager (the OPTIONS are kept for the service's start); --unregister-service\n"
         "[--service-name NAME] removes it. Started from a console, silod runs in the foreground until\n"
         "Ctrl+C.\n";
#else
  out << "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP re-reads log-level, admin-group,\n"
         "operator-group and tls-roles from the config file and reloads the TLS files (which are also\n"
         "reloaded when they change).\n";
#endif
  return out.str();
}

std::variant<Invocation, int> parse_or_answer(const std::vector<std::string>& args) {
  auto invocation = parse_invocation(args);
  if (!invocation) {
    std::fprintf(stderr, "silod: %s\n", invocation.error().message.c_str());
    return 1;
  }
  if (invocation->action == Action::help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (invocation->action == Action::version) {
    std::printf("silod version %s, API v1, commit %s, %s build\n", SILO_VERSION, SILO_GIT_COMMIT, SILO_BUILD_TYPE);
    return 0;
  }
  return std::move(*invocation);
}

}  // namespace silo::service
