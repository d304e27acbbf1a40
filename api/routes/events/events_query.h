// The query of GET /v1/events: since, until (RFC 3339 or Unix seconds), filters (docker's JSON
// form {"type":["container"],"action":["start"],"actor":["<id>"]}) and follow (true/false/1/0).
#pragma once

#include "api/http/request.h"
#include "core/errors.h"
#include "core/store/metadata_store.h"

namespace silo::api {

struct EventsRequest {
  EventQuery query;  // after_id and limit are left for the caller to page with
  bool follow = false;
};

Result<EventsRequest> parse_events_request(const QueryParams& params);

// Whether an event passes the query's time bounds and filters (for live events, which the store
// did not select).
bool event_matches(const EventQuery& query, const EventRecord& event);

}  // namespace silo::api
