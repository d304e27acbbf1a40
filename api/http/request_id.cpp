#include "api/http/request_id.h"

#include "core/ids.h"

namespace silo::api {

bool is_valid_request_id(std::string_view text) noexcept {
  if (text.empty() || text.size() > 128) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string new_request_id() { return ids::generate().substr(0, 32); }

std::string choose_request_id(std::string_view supplied) {
  return is_valid_request_id(supplied) ? std::string(supplied) : new_request_id();
}

}  // namespace silo::api
