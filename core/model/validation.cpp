#include "core/model/validation.h"

#include <algorithm>

namespace silo::validation {
namespace {

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Quotes a value for a message, cut to 64 bytes so a hostile megabyte never lands in a log line.
std::string shown(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string out = "\"";
  out.append(value.substr(0, kShown));
  out += value.size() > kShown ? "...\"" : "\"";
  return out;
}

Error invalid(std::string message) { return make_error(Errc::invalid_argument, std::move(message)); }

struct MapRules {
  std::string_view what;  // "label" or "annotation"
  std::size_t key_max;
  std::size_t value_max;
  std::size_t count_max;
};

Result<void> check_map(std::string_view field, const StringMap& map, const MapRules& rules, const Limits& limits) {
  if (map.size() > rules.count_max) {
    return invalid(std::string(field) + " has " + std::to_string(map.size()) + " entries; at most " +
                   std::to_string(rules.count_max) + " are allowed");
  }
  std::size_t total = 0;
  for (const auto& [key, value] : map) {
    std::string where = std::string(field) + "[" + shown(key) + "]";
    if (key.empty()) return invalid(std::string(field) + " has an empty " + std::string(rules.what) + " key");
    if (key.size() > rules.key_max) {
      return invalid(where + ": key is " + std::to_string(key.size()) + " bytes; at most " +
                     std::to_string(rules.key_max) + " are allowed");
    }
    bool key_ok = is_alnum(key.front()) && std::all_of(key.begin(), key.end(), [](char c) {
                    return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '/';
                  });
    if (!key_ok) {
      return invalid(where + ": a " + std::string(rules.what) +
                     " key must start with a letter or digit and contain only letters, digits, '.', '_', '-', '/'");
    }
    if (value.size() > rules.value_max) {
      return invalid(where + ": value is " + std::to_string(value.size()) + " bytes; at most " +
                     std::to_string(rules.value_max) + " are allowed");
    }
    if (value.find('\0') != std::string::npos || !is_valid_utf8(value)) {
      return invalid(where + ": value must be UTF-8 text without NUL characters");
    }
    total += key.size() + value.size();
  }
  if (total > limits.map_total_bytes_max) {
    return invalid(std::string(field) + " total " + std::to_string(total) + " bytes; at most " +
                   std::to_string(limits.map_total_bytes_max) + " are allowed");
  }
  return {};
}

}  // namespace

Result<void> check_name(std::string_view field, std::string_view name, const Limits& limits) {
  if (name.size() < 2 || name.size() > limits.name_max) {
    return invalid(std::string(field) + " " + shown(name) + " must be 2 to " + std::to_string(limits.name_max) +
                   " characters long");
  }
  bool ok = is_alnum(name.front()) && std::all_of(name.begin() + 1, name.end(), [](char c) {
              return is_alnum(c) || c == '_' || c == '.' || c == '-';
            });
  if (!ok) {
    return invalid(std::string(field) + " " + shown(name) + " must match [a-zA-Z0-9][a-zA-Z0-9_.-]+");
  }
  return {};
}

Result<void> check_labels(std::string_view field, const StringMap& labels, const Limits& limits) {
  return check_map(field, labels, {"label", limits.label_key_max, limits.label_value_max, limits.labels_max}, limits);
}

Result<void> check_annotations(std::string_view field, const StringMap& annotations, const Limits& limits) {
  return check_map(field, annotations,
                   {"annotation", limits.annotation_key_max, limits.annotation_value_max, limits.annotations_max},
                   limits);
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0U) == 0xC0U) {
      extra = 1;
      cp = c & 0x1FU;
    } else if ((c & 0xF0U) == 0xE0U) {
      extra = 2;
      cp = c & 0x0FU;
    } else if ((c & 0xF8U) == 0xF0U) {
      extra = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0U) != 0x80U) return false;
      cp = (cp << 6U) | (cc & 0x3FU);
    }
    // Reject overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace silo::validation
