// siloctl create/run flags -> the JSON body of POST /v1/containers. Malformed flags are usage
// errors found before any request; everything else the daemon validates and explains.
#include "cli/commands/container_commands.h"

#include <cctype>
#include <cmath>
#include <thread>

namespace silo::cli {
namespace {

std::optional<std::pair<std::string, std::string>> split_kv(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

std::optional<std::int64_t> parse_memory(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 'b' && unit.size() == 2) unit.pop_back();  // "64mb"
  double scale = 1;
  if (unit == "k") scale = 1024.0;
  else if (unit == "m") scale = 1024.0 * 1024;
  else if (unit == "g") scale = 1024.0 * 1024 * 1024;
  else if (unit == "t") scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!unit.empty() && unit != "b") return std::nullopt;
  if (value < 0 || !std::isfinite(value)) return std::nullopt;
  return static_cast<std::int64_t>(value * scale);
}

namespace {

// Where the field that starts at `from` ends: the next ':' that is not a Windows drive letter's
// ("C:\\data" and "C:/data" keep their colon, as docker's -v on Windows does).
std::size_t field_end(const std::string& text, std::size_t from) {
  const bool drive = text.size() > from + 2 && std::isalpha(static_cast<unsigned char>(text[from])) &&
                     text[from + 1] == ':' && (text[from + 2] == '\\' || text[from + 2] == '/');
  return text.find(':', drive ? from + 2 : from);
}

}  // namespace

// -v SOURCE:TARGET[:ro|:rw], with Linux paths, Windows drive paths or named pipes on either side.
Result<nlohmann::json> mount_from_flag(const std::string& text) {
  auto bad_mount = [&text] {
    return make_error(Errc::invalid_argument, "bad --mount \"" + text + "\": expected SOURCE:TARGET[:ro|:rw]");
  };
  const std::size_t source_end = field_end(text, 0);
  if (source_end == std::string::npos || source_end == 0) return bad_mount();
  const std::size_t target_end = field_end(text, source_end + 1);
  const std::string target =
      text.substr(source_end + 1, target_end == std::string::npos ? std::string::npos : target_end - source_end - 1);
  const std::string mode = target_end == std::string::npos ? "rw" : text.substr(target_end + 1);
  if (target.empty() || (mode != "ro" && mode != "rw")) return bad_mount();
  nlohmann::json mount = {{"source", text.substr(0, source_end)}, {"target", target}, {"readOnly", mode == "ro"}};
  return Result<nlohmann::json>(boost::system::in_place_value, std::move(mount));
}

Result<nlohmann::json> spec_from_flags(const ContainerArgs& a) {
  auto bad = [](const std::string& what) { return make_error(Errc::invalid_argument, what); };
  nlohmann::json spec{{"command", a.command}};
  if (!a.name.empty()) spec["name"] = a.name;
  if (!a.isolation.empty()) spec["isolation"] = a.isolation;
  if (!a.sandbox.empty()) spec["sandbox"] = a.sandbox;
  if (!a.layer.empty()) spec["layer"] = a.layer;
  if (!a.env.empty()) spec["env"] = a.env;
  if (!a.workdir.empty()) spec["workingDir"] = a.workdir;
  if (!a.user.empty()) spec["user"] = a.user;
  for (auto [flag, list, field] : {std::tuple{"--label", &a.labels, "labels"}, std::tuple{"--annotation", &a.annotations, "annotations"}}) {
    for (const auto& item : *list) {
      auto kv = split_kv(item);
      if (!kv) return bad(std::string("bad ") + flag + " \"" + item + "\": expected key=value");
      spec[field][kv->first] = kv->second;
    }
  }
  nlohmann::json resources = nlohmann::json::object();
  if (!a.memory.empty()) {
    auto bytes = parse_memory(a.memory);
    if (!bytes) return bad("bad --memory \"" + a.memory + "\": expected a number with an optional unit b, k, m, g (64m)");
    resources["memoryBytes"] = *bytes;
  }
  if (a.cpus) {
    // docker's --cpus is a number of CPUs' worth of time; silo's portable form is a percentage of
    // the host's CPU time (HCS Processor.Maximum). The client runs on the daemon's host locally.
    double host = std::max(1u, std::thread::hardware_concurrency());
    if (*a.cpus <= 0) return bad("bad --cpus: must be more than 0");
    resources["cpuPercent"] = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::ceil(*a.cpus * 100.0 / host)), 1, 100);
  }
  if (a.cpu_count) resources["cpuCount"] = *a.cpu_count;
  if (a.pids_limit) resources["pidsLimit"] = *a.pids_limit;
  if (!resources.empty()) spec["resources"] = resources;
  for (const auto& mount : a.mounts) {
    auto parsed = mount_from_flag(mount);
    if (!parsed) return parsed.error();
    spec["mounts"].push_back(std::move(*parsed));
  }
  if (a.stop_timeout) spec["stopTimeoutSeconds"] = *a.stop_timeout;
  return Result<nlohmann::json>(boost::system::in_place_value, std::move(spec));
}

}  // namespace silo::cli
