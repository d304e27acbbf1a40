// One line per request on the "api.access" logger: method, target, status, bytes, duration, peer,
// request id. Written when the response is complete (or the connection was cut).
#pragma once

#include "api/transport/peer.h"

#include <chrono>
#include <cstddef>
#include <string_view>

namespace silo::api {

struct AccessRecord {
  std::string_view method;
  std::string_view target;
  unsigned status = 0;
  std::size_t bytes = 0;
  std::chrono::steady_clock::duration duration{};
  const PeerIdentity* peer = nullptr;
  std::string_view request_id;
};

void log_access(const AccessRecord& record);

}  // namespace silo::api
