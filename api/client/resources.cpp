#include "api/client/resources.h"

namespace silo::client {

std::string container_path(std::string_view ref, std::string_view suffix) {
  return "/v1/containers/" + url_encode(ref) + std::string(suffix);
}

ClientResult<nlohmann::json> ResourceClient::call(std::string method, std::string target,
                                                  const std::optional<nlohmann::json>& body, bool wait_unbounded) const {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.unbounded_body_wait = wait_unbounded;
  if (body) {
    request.body = body->dump();
    request.content_type = "application/json";
  }
  auto response = client_.request(request);
  if (!response) return response.error();
  if (response->head.status >= 400) return daemon_error(response->head.status, response->body);
  using Out = ClientResult<nlohmann::json>;
  if (response->body.empty()) return Out(boost::system::in_place_value, nlohmann::json());
  auto parsed = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return protocol_error("the answer to " + request.target + " is not JSON", response->head.status);
  return Out(boost::system::in_place_value, std::move(parsed));
}

ClientResult<void> ResourceClient::stream(std::string target, const TextSink& sink, bool wait_unbounded) const {
  HttpRequest request;
  request.target = std::move(target);
  request.unbounded_body_wait = wait_unbounded;
  int status = 0;
  std::string error_body;
  HttpExchange exchange(client_.endpoint(), Timeouts{}, "siloctl");
  auto head = exchange.stream(
      request, [&status](const HttpHead& h) { status = h.status; },
      [&](std::string_view piece) {
        if (status >= 400) {
          if (error_body.size() < 64 * 1024) error_body.append(piece);
          return true;
        }
        return sink(piece);
      });
  if (!head) return head.error();
  if (status >= 400) return daemon_error(status, error_body);
  return {};
}

}  // namespace silo::client
