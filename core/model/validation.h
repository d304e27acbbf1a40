// Input validation with explicit limits. Every failure is invalid_argument with a message that
// names the field, the offending value (shortened if long) and the rule or limit it broke.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"

#include <cstddef>
#include <string_view>

namespace silo::validation {

struct Limits {
  std::size_t name_max = 128;                  // container and sandbox names
  std::size_t label_key_max = 256;
  std::size_t label_value_max = 4096;
  std::size_t labels_max = 128;                // entries per object
  std::size_t annotation_key_max = 256;
  std::size_t annotation_value_max = 16384;
  std::size_t annotations_max = 128;
  std::size_t map_total_bytes_max = 256 * 1024;  // keys + values of one map
};

// Docker's name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (so at least 2 characters), at most name_max.
// A leading "/" (docker's inspect shape) is not accepted: names are given bare.
Result<void> check_name(std::string_view field, std::string_view name, const Limits& limits = {});

// Keys: a letter or digit first, then letters, digits and . _ - /  (covers "com.example.tier" and
// "microsoft.com/hostprocess-container"). Values: valid UTF-8 without NUL.
Result<void> check_labels(std::string_view field, const StringMap& labels, const Limits& limits = {});
Result<void> check_annotations(std::string_view field, const StringMap& annotations, const Limits& limits = {});

bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace silo::validation
