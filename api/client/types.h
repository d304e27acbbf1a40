// The v1 API's answers as the client library hands them out (openapi.yaml is the contract). Each
// keeps the JSON it came from in `raw`, so `siloctl --format json` prints exactly what the daemon said.
#pragma once

#include "api/client/client_error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace silo::client {

struct VersionInfo {
  std::string version;
  std::string api_version;
  std::string git_commit;
  std::string os;
  std::string arch;
  std::string kernel_version;
  std::string build_type;
  nlohmann::json raw;
};

struct IsolationMode {
  std::string name;  // "process", "hyperv", "hostprocess"
  bool available = false;
  std::string reason;
};

struct SystemInfo {
  std::string hostname;
  std::string os_name;
  std::string os_version;
  std::string kernel;
  std::int64_t cpus = 0;
  std::int64_t memory_bytes = 0;
  std::string data_root;
  std::map<std::string, std::string> versions;  // component -> version
  std::vector<IsolationMode> isolation;         // in the order process, hyperv, hostprocess
  std::int64_t containers_total = 0;
  std::int64_t containers_running = 0;
  std::int64_t containers_created = 0;
  std::int64_t containers_exited = 0;
  std::int64_t sandboxes = 0;
  std::int64_t layers = 0;
  std::int64_t events_last_id = 0;
  nlohmann::json raw;
};

struct Event {
  std::int64_t id = 0;
  std::string time;  // RFC 3339 with nanoseconds
  std::int64_t time_nano = 0;
  std::string type;
  std::string action;
  std::string actor_id;
  std::map<std::string, std::string> attributes;
  nlohmann::json raw;
};

struct EventsQuery {
  std::optional<std::string> since;  // RFC 3339 or Unix seconds, passed through as given
  std::optional<std::string> until;
  std::map<std::string, std::vector<std::string>> filters;  // docker's {"type":["container"]} form
  bool follow = false;

  // "/v1/events?since=...&filters=%7B...%7D"
  std::string target() const;
};

// Decoding: a body that does not have the documented shape is a Failure::protocol error.
ClientResult<VersionInfo> parse_version(const std::string& body);
ClientResult<SystemInfo> parse_info(const std::string& body);
ClientResult<Event> parse_event(std::string_view line);

std::string url_encode(std::string_view text);

}  // namespace silo::client
