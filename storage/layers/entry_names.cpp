#include "storage/layers/entry_names.h"

namespace silo::layers {

Result<std::vector<std::string>> split_entry_name(std::string_view name, std::uint64_t max_bytes) {
  auto quoted = "\"" + std::string(name.substr(0, 200)) + (name.size() > 200 ? "...\"" : "\"");
  if (name.size() > max_bytes) {
    return make_error(Errc::invalid_argument, "entry name " + quoted + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (name.find('\0') != std::string_view::npos) return make_error(Errc::invalid_argument, "entry name " + quoted + " contains a NUL byte");
  if (name.starts_with('/')) {
    return make_error(Errc::invalid_argument, "entry " + quoted + " has an absolute name; layer entries must be relative");
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    auto part = name.substr(start, end - start);
    if (part == "..") {
      return make_error(Errc::invalid_argument, "entry " + quoted + " has a \"..\" component; it would leave the layer");
    }
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

bool relative_target_stays_inside(const std::vector<std::string>& link_parts, std::string_view target) {
  // The link lives in link_parts minus its own name; each ".." climbs one folder from there.
  long depth = static_cast<long>(link_parts.size()) - 1;
  std::size_t start = 0;
  while (start <= target.size()) {
    auto end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    auto part = target.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return true;
}

std::optional<std::string> whiteout_target(std::string_view base) {
  if (!base.starts_with(kWhiteoutPrefix) || base == kOpaqueMarker) return std::nullopt;
  return std::string(base.substr(kWhiteoutPrefix.size()));
}

std::string join_parts(const std::vector<std::string>& parts, std::size_t count) {
  std::string joined;
  for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i) joined += '/';
    joined += parts[i];
  }
  return joined;
}

}  // namespace silo::layers
