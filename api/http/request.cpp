#include "api/http/request.h"

namespace silo::api {

std::optional<std::string> QueryParams::get(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [key, value] : items_) {
    if (key == name) found = value;
  }
  return found;
}

std::optional<std::string> Request::path_param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

}  // namespace silo::api
