#include "api/routes/events/events_query.h"

#include "api/http/target.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace silo::api {
namespace {

constexpr std::string_view kAllowedFilters = "type, action, actor";
constexpr std::size_t kMaxFilterValues = 256;

Error bad_param(std::string_view name, std::string_view value, std::string_view why) {
  return make_error(Errc::invalid_argument,
                    "query parameter " + std::string(name) + "=\"" + std::string(value) + "\" is invalid: " + std::string(why));
}

// A filter's values: ["a","b"] or docker's older {"a":true,"b":true}.
Result<std::vector<std::string>> filter_values(const std::string& raw, const std::string& key, const nlohmann::json& value) {
  std::vector<std::string> out;
  auto add = [&](const nlohmann::json& item) -> bool {
    if (!item.is_string() || out.size() >= kMaxFilterValues) return false;
    out.push_back(item.get<std::string>());
    return true;
  };
  bool ok = true;
  if (value.is_array()) {
    for (const auto& item : value) ok = ok && add(item);
  } else if (value.is_object()) {
    for (const auto& [name, enabled] : value.items()) ok = ok && enabled.is_boolean() && add(nlohmann::json(name));
  } else {
    ok = false;
  }
  if (!ok) return bad_param("filters", raw, "filter \"" + key + "\" must be an array of at most 256 strings");
  return out;
}

Result<void> parse_filters(const std::string& raw, EventQuery& query) {
  auto parsed = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return bad_param("filters", raw, "expected a JSON object such as {\"type\":[\"container\"]}");
  }
  for (const auto& [key, value] : parsed.items()) {
    auto values = filter_values(raw, key, value);
    if (!values) return values.error();
    if (key == "type") {
      query.types = std::move(*values);
    } else if (key == "action") {
      query.actions = std::move(*values);
    } else if (key == "actor") {
      query.actor_ids = std::move(*values);
    } else {
      return bad_param("filters", raw, "unknown filter \"" + key + "\"; allowed filters: " + std::string(kAllowedFilters));
    }
  }
  return {};
}

Result<std::optional<TimeNs>> time_param(const QueryParams& params, std::string_view name) {
  auto raw = params.get(name);
  if (!raw || raw->empty()) return std::optional<TimeNs>{};
  auto parsed = parse_time(*raw);
  if (!parsed) return bad_param(name, *raw, parsed.error().message);
  return std::optional<TimeNs>{*parsed};
}

bool any_of_or_empty(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

Result<EventsRequest> parse_events_request(const QueryParams& params) {
  EventsRequest out;
  auto since = time_param(params, "since");
  if (!since) return since.error();
  auto until = time_param(params, "until");
  if (!until) return until.error();
  out.query.since = *since;
  out.query.until = *until;
  if (auto raw = params.get("filters"); raw && !raw->empty()) SILO_TRY(parse_filters(*raw, out.query));
  if (auto raw = params.get("follow"); raw && !raw->empty()) {
    auto follow = parse_bool_param("follow", *raw);
    if (!follow) return follow.error();
    out.follow = *follow;
  }
  return out;
}

bool event_matches(const EventQuery& query, const EventRecord& event) {
  if (query.since && event.time < *query.since) return false;
  if (query.until && event.time > *query.until) return false;
  return any_of_or_empty(query.types, event.type) && any_of_or_empty(query.actions, event.action) &&
         any_of_or_empty(query.actor_ids, event.actor_id);
}

}  // namespace silo::api
