#include "api/routes/audit/audit_routes.h"

#include "api/http/error_response.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace silo::api {
namespace {

Result<std::size_t> parse_limit(const std::string& text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxAuditLimit) {
    return make_error(Errc::invalid_argument, "limit \"" + text + "\" must be a whole number from 1 to " +
                                                  std::to_string(kMaxAuditLimit));
  }
  return value;
}

nlohmann::json entry_to_json(const AuditEntry& entry) {
  return {{"id", entry.id},
          {"time", format_rfc3339(entry.time)},
          {"identity", entry.identity},
          {"role", entry.role},
          {"transport", entry.transport},
          {"remote", entry.remote},
          {"method", entry.method},
          {"route", entry.route},
          {"path", entry.path},
          {"targetId", entry.target_id},
          {"status", entry.status},
          {"requestId", entry.request_id}};
}

Response list(const AuditContext& context, const Request& request) {
  auto query = parse_audit_query(request.query);
  if (!query) return error_response(query.error());
  auto entries = context.audit->list_audit(*query);
  if (!entries) return error_response(entries.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& entry : *entries) items.push_back(entry_to_json(entry));
  return json_response(http::status::ok, items);
}

}  // namespace

Result<AuditQuery> parse_audit_query(const QueryParams& params) {
  AuditQuery query;
  query.limit = kDefaultAuditLimit;
  for (const auto& [name, value] : params.items()) {
    if (name == "since" || name == "until") {
      auto time = parse_time(value);
      if (!time) return make_error(Errc::invalid_argument, name + ": " + time.error().message);
      (name == "since" ? query.since : query.until) = *time;
    } else if (name == "limit") {
      auto limit = parse_limit(value);
      if (!limit) return limit.error();
      query.limit = *limit;
    } else if (name == "identity") {
      query.identity = value;
    } else {
      return make_error(Errc::invalid_argument,
                        "unknown query parameter \"" + name + "\"; /v1/audit takes since, until, identity and limit");
    }
  }
  return query;
}

void add_audit_routes(Router& router, std::shared_ptr<const AuditContext> context) {
  add_blocking(router, http::verb::get, "/v1/audit", context->pool,
               [context](const Request& request) { return list(*context, request); });
}

}  // namespace silo::api
