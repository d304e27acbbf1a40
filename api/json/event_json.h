// Events on the wire (camelCase, one object per NDJSON line):
//   {"id":1,"time":"2026-...Z","timeNano":1,"type":"container","action":"start",
//    "actor":{"id":"...","attributes":{"name":"web"}}}
#pragma once

#include "core/model/records.h"

#include <nlohmann/json.hpp>

namespace silo::api {

nlohmann::json event_to_json(const EventRecord& event);

}  // namespace silo::api
