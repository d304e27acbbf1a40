#include "api/json/event_json.h"

namespace silo::api {

nlohmann::json event_to_json(const EventRecord& event) {
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [key, value] : event.attributes) attributes[key] = value;
  return {
      {"id", event.id},
      {"time", format_rfc3339(event.time)},
      {"timeNano", event.time},
      {"type", event.type},
      {"action", event.action},
      {"actor", {{"id", event.actor_id}, {"attributes", std::move(attributes)}}},
  };
}

}  // namespace silo::api
