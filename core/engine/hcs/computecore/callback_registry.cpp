#include "core/engine/hcs/computecore/callback_registry.h"

#include "core/engine/hcs/computecore/wide_text.h"

namespace silo::hcs::computecore {
namespace {

EventKind kind_of(HCS_EVENT_TYPE type) {
  switch (static_cast<std::uint32_t>(type)) {
    case 0x00000001: return EventKind::system_exited;
    case 0x00000002: return EventKind::system_crash_initiated;
    case 0x00000003: return EventKind::system_crash_report;
    case 0x00010000: return EventKind::process_exited;
    case 0x02000000: return EventKind::service_disconnect;
    default: return EventKind::other;
  }
}

}  // namespace

CallbackRegistry& CallbackRegistry::instance() {
  static CallbackRegistry registry;
  return registry;
}

std::uintptr_t CallbackRegistry::add(EventHandler handler) {
  std::lock_guard lock(mutex_);
  std::uintptr_t id = next_id_++;
  handlers_.emplace(id, std::make_shared<EventHandler>(std::move(handler)));
  return id;
}

void CallbackRegistry::remove(std::uintptr_t id) {
  std::lock_guard lock(mutex_);
  handlers_.erase(id);
}

bool CallbackRegistry::dispatch(std::uintptr_t id, const Event& event) {
  std::shared_ptr<EventHandler> handler;
  {
    std::lock_guard lock(mutex_);
    auto found = handlers_.find(id);
    if (found == handlers_.end()) return false;
    handler = found->second;
  }
  (*handler)(event);
  return true;
}

void CALLBACK CallbackRegistry::on_event(HCS_EVENT* event, void* context) {
  if (event == nullptr) return;
  Event out;
  out.raw_type = static_cast<std::uint32_t>(event->Type);
  out.kind = kind_of(event->Type);
  out.data = to_utf8(event->EventData);
  instance().dispatch(reinterpret_cast<std::uintptr_t>(context), out);
}

}  // namespace silo::hcs::computecore
