#include "api/http/target.h"
#include "api/routes/containers/containers_context.h"

#include <charconv>

namespace silo::api {

Result<std::optional<bool>> query_bool(const Request& request, std::string_view name) {
  auto raw = request.query.get(name);
  if (!raw) return std::optional<bool>();
  auto value = parse_bool_param(name, *raw);
  if (!value) return value.error();
  return std::optional<bool>(*value);
}

Result<std::optional<std::int64_t>> query_int(const Request& request, std::string_view name, std::int64_t min,
                                              std::int64_t max) {
  auto raw = request.query.get(name);
  if (!raw) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || value < min || value > max) {
    return make_error(Errc::invalid_argument, std::string(name) + " \"" + *raw + "\" must be an integer from " +
                                                  std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<std::int64_t>(value);
}

std::string path_id(const Request& request) { return request.path_param("id").value_or(""); }

}  // namespace silo::api
