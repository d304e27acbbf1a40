// An spdlog sink that writes warnings and errors to the Windows Application event log under the
// service's source name (ReportEventW), where administrators and monitoring look first. Lower levels
// go only to the rotating file: the event log is not a debug log.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>

namespace silo::service::windows {

class EventLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Registers the event source `source` (RegisterEventSourceW); writes fail quietly when it cannot.
  explicit EventLogSink(const std::string& source);
  ~EventLogSink() override;
  EventLogSink(const EventLogSink&) = delete;
  EventLogSink& operator=(const EventLogSink&) = delete;

  bool registered() const noexcept { return source_ != nullptr; }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  void* source_ = nullptr;  // HANDLE from RegisterEventSourceW
};

}  // namespace silo::service::windows
