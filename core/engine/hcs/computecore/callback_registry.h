// Routes HCS event callbacks to their C++ handlers. HCS hands a callback nothing but an opaque
// context; silo passes a small integer id there, never a pointer, and looks the id up in a
// mutex-protected map (as hcsshim's notification watcher does). An event for an id that was
// removed (a late event racing a close) is dropped instead of touching freed memory.
#pragma once

#include <windows.h>

#include <computecore.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace silo::hcs::computecore {

enum class EventKind {
  system_exited,
  system_crash_initiated,
  system_crash_report,
  process_exited,
  service_disconnect,
  other,
};

struct Event {
  EventKind kind = EventKind::other;
  std::uint32_t raw_type = 0;  // HCS_EVENT_TYPE as HCS sent it
  std::string data;            // SystemExitStatus, CrashReport or ProcessStatus JSON
};

using EventHandler = std::function<void(const Event&)>;

class CallbackRegistry {
 public:
  // The registry the C callback consults. It is the one process-wide object of the HCS client:
  // a C callback has no other way back to its handler.
  static CallbackRegistry& instance();

  std::uintptr_t add(EventHandler handler);
  void remove(std::uintptr_t id);
  // Runs the handler of `id` outside the lock; false when no handler has that id.
  bool dispatch(std::uintptr_t id, const Event& event);

  // What HCS calls (HCS_EVENT_CALLBACK); `context` is an id from add().
  static void CALLBACK on_event(HCS_EVENT* event, void* context);

 private:
  std::mutex mutex_;
  std::uintptr_t next_id_ = 1;
  std::map<std::uintptr_t, std::shared_ptr<EventHandler>> handlers_;
};

}  // namespace silo::hcs::computecore
