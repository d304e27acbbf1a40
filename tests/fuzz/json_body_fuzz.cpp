// libFuzzer target: arbitrary bytes as a JSON request body, through parse_json_body (depth limit
// before parsing) and then the container and sandbox spec decoders. Beyond sanitizer findings it
// aborts when
//   - an accepted body nests deeper than the limit (the pre-parse depth count undercounted),
//   - a rejected body's error response is not a 4xx with {message, code},
//   - a decoded spec does not survive to_json -> from_json unchanged.
#include "api/http/error_response.h"
#include "api/json/body.h"
#include "core/logging.h"
#include "core/model/spec_json.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace silo::fuzz {
namespace {

constexpr std::size_t kMaxDepth = 16;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "json_body_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Nesting of arrays and objects, as the depth limit counts it (a scalar is 0).
std::size_t depth_of(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& item : value) deepest = std::max(deepest, depth_of(item));
  return deepest + 1;
}

void check_error(const api::Response& response) {
  auto status = static_cast<unsigned>(response.status);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (status < 400 || status > 499 || !body.is_object() || !body.contains("message") || !body.contains("code")) {
    fail("bad error response", std::to_string(status) + " " + response.body);
  }
}

template <class Decode>
void check_round_trip(const nlohmann::json& body, Decode decode) {
  auto spec = decode(body);
  if (!spec) {
    if (spec.error().message.empty()) fail("rejection without a message", body.dump());
    return;
  }
  auto wire = to_json(*spec);
  auto again = decode(wire);
  if (!again) fail("a decoded spec does not decode again", wire.dump() + ": " + again.error().message);
  if (to_json(*again) != wire) fail("round trip changed the spec", wire.dump() + " vs " + to_json(*again).dump());
}

}  // namespace
}  // namespace silo::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace silo;
  static const bool quiet = [] {
    logging::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  api::Request request;
  request.headers.set(api::http::field::content_type, "application/json; charset=utf-8");
  request.body.assign(reinterpret_cast<const char*>(data), size);

  auto parsed = api::parse_json_body(request, fuzz::kMaxDepth);
  if (auto* error = std::get_if<api::Response>(&parsed)) {
    fuzz::check_error(*error);
    return 0;
  }
  const auto& body = std::get<nlohmann::json>(parsed);
  if (fuzz::depth_of(body) > fuzz::kMaxDepth) fuzz::fail("accepted a body over the depth limit", request.body);
  fuzz::check_round_trip(body, [](const nlohmann::json& j) { return container_spec_from_json(j); });
  fuzz::check_round_trip(body, [](const nlohmann::json& j) { return sandbox_spec_from_json(j); });
  return 0;
}
