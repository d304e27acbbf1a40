#include "fake_store.h"

#include <algorithm>

namespace silo::test {

EventRecord FakeStore::add_event(std::string type, std::string action, std::string actor, TimeNs time) {
  std::lock_guard lock(mutex_);
  EventRecord event{static_cast<std::int64_t>(events_.size()) + 1, time, std::move(type), std::move(action), std::move(actor), {}};
  events_.push_back(event);
  return event;
}

void FakeStore::add_container(ContainerRecord record) {
  std::lock_guard lock(mutex_);
  containers_.push_back(std::move(record));
}

Result<std::vector<EventRecord>> FakeStore::write(const WriteBody&) {
  return make_error(Errc::unavailable, "the fake store takes no writes");
}

Result<std::vector<ContainerRecord>> FakeStore::list_containers(const ContainerFilter&) {
  std::lock_guard lock(mutex_);
  return containers_;
}

Result<std::vector<EventRecord>> FakeStore::list_events(const EventQuery& query) {
  std::lock_guard lock(mutex_);
  std::vector<EventRecord> out;
  auto any = [](const std::vector<std::string>& allowed, const std::string& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  };
  for (const auto& event : events_) {
    if (query.after_id && event.id <= *query.after_id) continue;
    if (query.since && event.time < *query.since) continue;
    if (query.until && event.time > *query.until) continue;
    if (!any(query.types, event.type) || !any(query.actions, event.action) || !any(query.actor_ids, event.actor_id)) continue;
    out.push_back(event);
    if (out.size() >= query.limit) break;
  }
  return out;
}

Result<std::int64_t> FakeStore::last_event_id() {
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(events_.size());
}

}  // namespace silo::test
