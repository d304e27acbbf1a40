#include "api/http/target.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace silo::api {

Result<Target> parse_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    return make_error(Errc::invalid_argument, "malformed request target (" + parsed.error().message() + ")");
  }
  const boost::urls::url_view& url = *parsed;
  Target out;
  out.path = url.path();
  std::vector<std::pair<std::string, std::string>> items;
  // params() decodes percent-escapes and reads '+' as a space, as HTML forms and curl -G send them.
  for (const auto& param : url.params()) items.emplace_back(param.key, param.value);
  out.query = QueryParams(std::move(items));
  return out;
}

Result<bool> parse_bool_param(std::string_view name, std::string_view value) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return make_error(Errc::invalid_argument, "query parameter " + std::string(name) + "=\"" + std::string(value) +
                                                "\" is not a boolean; use true, false, 1 or 0");
}

}  // namespace silo::api
