#include "api/http/access_log.h"

#include "core/logging.h"

namespace silo::api {

void log_access(const AccessRecord& record) {
  static constexpr std::size_t kMaxTarget = 512;  // a long query must not flood the log
  auto target = record.target.substr(0, kMaxTarget);
  double millis = std::chrono::duration<double, std::milli>(record.duration).count();
  logging::get("api.access")->info("{} {} {} {}B {:.3f}ms peer=\"{}\" rid={}", record.method, target, record.status,
                                   record.bytes, millis, record.peer ? record.peer->describe() : "unknown",
                                   record.request_id);
}

}  // namespace silo::api
