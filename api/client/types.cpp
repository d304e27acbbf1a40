#include "api/client/types.h"

#include <array>

namespace silo::client {
namespace {

using nlohmann::json;

// nlohmann reports a missing or mistyped field with an exception; it is caught right here and turned
// into a protocol error that names the document, so no exception leaves the library.
template <class T, class Fill>
ClientResult<T> decode(std::string_view what, std::string_view body, Fill&& fill) {
  try {
    T out;
    out.raw = json::parse(body);
    fill(out.raw, out);
    return out;
  } catch (const json::exception& e) {
    return protocol_error("the daemon's " + std::string(what) + " answer does not match the API: " + e.what());
  }
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

std::string EventsQuery::target() const {
  std::string query;
  const auto add = [&query](std::string_view key, std::string_view value) {
    query += query.empty() ? '?' : '&';
    query += key;
    query += '=';
    query += url_encode(value);
  };
  if (since) add("since", *since);
  if (until) add("until", *until);
  if (!filters.empty()) add("filters", json(filters).dump());
  if (follow) add("follow", "true");
  return "/v1/events" + query;
}

ClientResult<VersionInfo> parse_version(const std::string& body) {
  return decode<VersionInfo>("version", body, [](const json& j, VersionInfo& v) {
    v.version = j.at("version").get<std::string>();
    v.api_version = j.at("apiVersion").get<std::string>();
    v.git_commit = j.at("gitCommit").get<std::string>();
    v.os = j.at("os").get<std::string>();
    v.arch = j.at("arch").get<std::string>();
    v.kernel_version = j.at("kernelVersion").get<std::string>();
    v.build_type = j.at("buildType").get<std::string>();
  });
}

ClientResult<SystemInfo> parse_info(const std::string& body) {
  return decode<SystemInfo>("info", body, [](const json& j, SystemInfo& i) {
    i.hostname = j.at("hostname").get<std::string>();
    i.os_name = j.at("os").at("name").get<std::string>();
    i.os_version = j.at("os").at("version").get<std::string>();
    i.kernel = j.at("os").at("kernel").get<std::string>();
    i.cpus = j.at("cpus").get<std::int64_t>();
    i.memory_bytes = j.at("memoryBytes").get<std::int64_t>();
    i.data_root = j.at("dataRoot").get<std::string>();
    i.versions = j.at("versions").get<std::map<std::string, std::string>>();
    for (const char* mode : {"process", "hyperv", "hostprocess"}) {
      const json& m = j.at("isolation").at(mode);
      i.isolation.push_back({mode, m.at("available").get<bool>(), m.at("reason").get<std::string>()});
    }
    const json& c = j.at("containers");
    i.containers_total = c.at("total").get<std::int64_t>();
    i.containers_running = c.at("running").get<std::int64_t>();
    i.containers_created = c.at("created").get<std::int64_t>();
    i.containers_exited = c.at("exited").get<std::int64_t>();
    i.sandboxes = j.at("sandboxes").get<std::int64_t>();
    i.layers = j.at("layers").get<std::int64_t>();
    i.events_last_id = j.at("eventsLastId").get<std::int64_t>();
  });
}

ClientResult<Event> parse_event(std::string_view line) {
  return decode<Event>("event", line, [](const json& j, Event& e) {
    e.id = j.at("id").get<std::int64_t>();
    e.time = j.at("time").get<std::string>();
    e.time_nano = j.at("timeNano").get<std::int64_t>();
    e.type = j.at("type").get<std::string>();
    e.action = j.at("action").get<std::string>();
    e.actor_id = j.at("actor").at("id").get<std::string>();
    e.attributes = j.at("actor").at("attributes").get<std::map<std::string, std::string>>();
  });
}

}  // namespace silo::client
