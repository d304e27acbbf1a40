#include "api/http/target.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace silo::api {
namespace {

bool allowed_in_query(unsigned char c) {
  // RFC 3986 query characters: unreserved, sub-delims, ':', '@', '/', '?', and '%' for escapes.
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~!$&'()*+,;=:@/?%").find(static_cast<char>(c)) != std::string_view::npos;
}

// Clients commonly send filters={"type":["container"]} without escaping the JSON punctuation.
// Beast has already refused controls and spaces; escaping the rest of the query here lets the
// strict RFC 3986 parser accept what the client meant. The path stays strict.
std::string escape_query_punctuation(std::string_view target) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  for (unsigned char c : target.substr(question + 1)) {
    if (allowed_in_query(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

Result<Target> parse_target(std::string_view raw_target) {
  std::string target = escape_query_punctuation(raw_target);
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
