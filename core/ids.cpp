#include "core/ids.h"

#include <algorithm>
#include <array>
#include <random>

namespace silo::ids {
namespace {

bool is_lower_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string generate() {
  // std::random_device reads the OS entropy source (getrandom on Linux, RtlGenRandom/rand_s on
  // Windows); it is not a seeded PRNG, so ids are unpredictable and collision-free in practice.
  std::random_device device;
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string id;
  id.reserve(kIdLength);
  while (id.size() < kIdLength) {
    auto word = device();
    for (int nibble = 0; nibble < 8 && id.size() < kIdLength; ++nibble) {
      id.push_back(kHex[word & 0xfU]);
      word >>= 4U;
    }
  }
  return id;
}

bool is_full_id(std::string_view text) noexcept {
  return text.size() == kIdLength && std::all_of(text.begin(), text.end(), is_lower_hex);
}

bool is_id_prefix(std::string_view text) noexcept {
  return !text.empty() && text.size() <= kIdLength && std::all_of(text.begin(), text.end(), is_lower_hex);
}

std::string_view shorten(std::string_view id) noexcept { return id.substr(0, kShortIdLength); }

Result<std::string> pick_unique(std::string_view kind, std::string_view prefix, std::span<const std::string> matches) {
  if (matches.empty()) {
    return make_error(Errc::not_found, "no " + std::string(kind) + " with id or name \"" + std::string(prefix) + "\"");
  }
  if (matches.size() > 1) {
    return make_error(Errc::invalid_argument, "id prefix \"" + std::string(prefix) + "\" matches more than one " +
                                                  std::string(kind) + ": give more characters");
  }
  return matches.front();
}

}  // namespace silo::ids
