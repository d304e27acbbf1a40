// siloctl create/run flags -> the JSON body of POST /v1/containers. Malformed flags are usage
// errors found before any request; everything else the daemon validates and explains.
#include "cli/commands/container_commands.h"

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
    auto first = mount.find(':');
    if (first == std::string::npos || first == 0) return bad("bad --mount \"" + mount + "\": expected SOURCE:TARGET[:ro]");
    std::string rest = mount.substr(first + 1);
    bool read_only = false;
    if (rest.size() > 3 && rest.ends_with(":ro")) {
      read_only = true;
      rest.resize(rest.size() - 3);
    } else if (rest.size() > 3 && rest.ends_with(":rw")) {
      rest.resize(rest.size() - 3);
    }
    spec["mounts"].push_back({{"source", mount.substr(0, first)}, {"target", rest}, {"readOnly", read_only}});
  }
  if (a.stop_timeout) spec["stopTimeoutSeconds"] = *a.stop_timeout;
  return Result<nlohmann::json>(boost::system::in_place_value, std::move(spec));
}

}  // namespace silo::cli
