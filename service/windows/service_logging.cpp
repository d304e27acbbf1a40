#include "service/windows/service_logging.h"

#include "service/windows/event_log_sink.h"

#include <spdlog/sinks/rotating_file_sink.h>

namespace silo::service::windows {

Result<std::vector<spdlog::sink_ptr>> service_log_sinks(const std::filesystem::path& data_root,
                                                        const std::string& event_source) {
  const auto folder = data_root / "logs";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return make_error(Errc::failed_precondition, "cannot create the log folder " + folder.string() + ": " + ec.message());
  std::vector<spdlog::sink_ptr> sinks;
  try {
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>((folder / "silod.log").string(), 10u << 20, 5));
  } catch (const spdlog::spdlog_ex& e) {  // spdlog reports an unopenable file by throwing
    return make_error(Errc::failed_precondition, std::string("cannot open the log file: ") + e.what());
  }
  sinks.push_back(std::make_shared<EventLogSink>(event_source));
  return sinks;
}

}  // namespace silo::service::windows
