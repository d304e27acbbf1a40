// Calls for containers, sandboxes and exec (openapi.yaml). The answers are handed out as the
// daemon's JSON: siloctl prints fields from it and --format json prints it whole.
#pragma once

#include "api/client/client.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace silo::client {

// Called with each piece of a streamed body as it arrives; return false to stop.
using TextSink = std::function<bool(std::string_view piece)>;

class ResourceClient {
 public:
  explicit ResourceClient(const Client& client) : client_(client) {}

  // One request whose 2xx answer is JSON (or empty, for 204); 4xx/5xx become Failure::daemon.
  // `wait_unbounded` for calls that may take as long as they take (stop, wait).
  ClientResult<nlohmann::json> call(std::string method, std::string target,
                                    const std::optional<nlohmann::json>& body = std::nullopt,
                                    bool wait_unbounded = false) const;
  // A streamed GET (logs, stats?stream=true): pieces go to `sink` as they arrive.
  ClientResult<void> stream(std::string target, const TextSink& sink, bool wait_unbounded) const;

 private:
  const Client& client_;
};

// "/v1/containers/" + url_encode(ref) + suffix
std::string container_path(std::string_view ref, std::string_view suffix = "");

}  // namespace silo::client
