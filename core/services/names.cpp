#include "core/services/names.h"

#include "core/ids.h"

#include <array>

namespace silo::services {
namespace {

constexpr std::array<std::string_view, 24> kAdjectives{
    "able",   "bold",   "brave",  "bright", "calm",  "clever", "eager", "fair",   "gentle", "happy", "keen",  "kind",
    "lively", "lucid",  "merry",  "nimble", "proud", "quick",  "quiet", "sharp",  "steady", "swift", "vivid", "witty"};
constexpr std::array<std::string_view, 24> kNouns{
    "babbage", "bohr",  "curie",  "darwin",  "euler", "faraday", "fermi",    "gauss",   "hopper", "hypatia", "kepler", "knuth",
    "lamport", "lovelace", "maxwell", "noether", "pascal", "ritchie", "shannon", "tesla", "thompson", "torvalds", "turing", "wirth"};

std::size_t hex_value(std::string_view id, std::size_t at) {
  if (id.size() < at + 2) return 0;
  return std::stoul(std::string(id.substr(at, 2)), nullptr, 16);
}

}  // namespace

std::string friendly_name(std::string_view id) {
  return std::string(kAdjectives[hex_value(id, 0) % kAdjectives.size()]) + "_" +
         std::string(kNouns[hex_value(id, 2) % kNouns.size()]);
}

std::string fallback_container_name(std::string_view id) { return "c-" + std::string(ids::shorten(id)); }

std::string implicit_sandbox_name(std::string_view container_name, std::string_view sandbox_id) {
  constexpr std::size_t kNameMax = 128;  // validation::Limits::name_max
  std::string name = std::string(container_name) + "-sandbox";
  return name.size() <= kNameMax ? name : "sb-" + std::string(ids::shorten(sandbox_id));
}

}  // namespace silo::services
