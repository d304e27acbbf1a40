#include "service/windows/event_log_sink.h"

#include <windows.h>

namespace silo::service::windows {
namespace {

std::wstring widen(std::string_view text) {
  if (text.empty()) return {};
  const int chars = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(chars > 0 ? chars : 0), L'\0');
  if (chars > 0) MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), chars);
  return out;
}

constexpr DWORD kEventId = 1;

}  // namespace

EventLogSink::EventLogSink(const std::string& source) {
  set_level(spdlog::level::warn);
  const std::wstring name = widen(source);
  source_ = RegisterEventSourceW(nullptr, name.c_str());
}

EventLogSink::~EventLogSink() {
  if (source_) DeregisterEventSource(static_cast<HANDLE>(source_));
}

void EventLogSink::sink_it_(const spdlog::details::log_msg& message) {
  if (!source_ || message.level < spdlog::level::warn) return;
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  const std::wstring text = widen(std::string_view(formatted.data(), formatted.size()));
  const wchar_t* strings[] = {text.c_str()};
  const WORD type = message.level >= spdlog::level::err ? EVENTLOG_ERROR_TYPE : EVENTLOG_WARNING_TYPE;
  // A failed write cannot be logged anywhere better; the rotating file has the same line.
  ReportEventW(static_cast<HANDLE>(source_), type, 0, kEventId, nullptr, 1, 0, strings, nullptr);
}

}  // namespace silo::service::windows
