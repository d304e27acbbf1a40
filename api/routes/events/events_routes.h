// GET /v1/events: stored events, then (with follow=true) live ones as they commit, as NDJSON.
#pragma once

#include "api/http/router.h"
#include "core/clock.h"
#include "core/events/event_hub.h"
#include "core/store/metadata_store.h"

#include <memory>

namespace silo::api {

struct EventsContext {
  std::shared_ptr<MetadataStore> store;
  std::shared_ptr<events::EventHub> hub;
  std::shared_ptr<const Clock> clock;
  std::size_t follower_queue = events::EventHub::kDefaultCapacity;  // events a follower may lag behind
  std::size_t page_size = 500;                                     // history read per store call
};

void add_event_routes(Router& router, std::shared_ptr<const EventsContext> context);

}  // namespace silo::api
