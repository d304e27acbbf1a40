#include "core/events/publishing_store.h"

namespace silo::events {

Result<std::vector<EventRecord>> PublishingStore::write(const WriteBody& body) {
  auto events = inner_->write(body);
  if (events) hub_->publish(*events);
  return events;
}

}  // namespace silo::events
