#include "core/services/host_paths.h"

#include "core/model/message_text.h"
#include "core/model/path_shape.h"

#include <filesystem>
#include <system_error>

namespace silo::services {
namespace {

// Paths arrive as UTF-8 on both platforms; std::filesystem would read a narrow string in the ANSI
// code page on Windows.
std::filesystem::path from_utf8(const std::string& text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

}  // namespace

Result<std::string> resolve_host_path(const std::string& path) {
  auto pinned = platform::PinnedHostPath::open(path);
  if (!pinned) return pinned.error();
  return pinned->resolved();
}

HeldMountSources HeldMountSources::hold(const std::vector<MountSpec>& mounts) {
  HeldMountSources held;
  for (const auto& mount : mounts) {
    if (path_shape::is_named_pipe(mount.source) || held.held_.contains(mount.source)) continue;
    held.held_.emplace(mount.source, platform::PinnedHostPath::open(mount.source));
  }
  return held;
}

ResolveHostPath HeldMountSources::resolver() const {
  return [this](const std::string& path) -> Result<std::string> {
    auto found = held_.find(path);
    if (found == held_.end()) return make_error(Errc::internal, message::quoted(path) + " was not held");
    if (!found->second) return found->second.error();
    return found->second->resolved();
  };
}

Result<void> HeldMountSources::use_in(std::vector<MountSpec>& mounts, const std::filesystem::path& staging_dir,
                                      const std::string& prefix) {
  std::map<std::string, std::string> staged;  // one stage per distinct source
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    auto found = held_.find(mounts[i].source);
    if (found == held_.end() || !found->second) continue;
    auto [at, fresh] = staged.try_emplace(mounts[i].source);
    if (fresh) {
      auto source = found->second->stage_at(staging_dir / (prefix + "-" + std::to_string(i)));
      if (!source) return source.error();
      at->second = std::move(*source);
    }
    mounts[i].source = at->second;
  }
  return {};
}

Result<std::vector<std::string>> resolve_mount_roots(const std::vector<std::string>& roots) {
  std::vector<std::string> resolved;
  for (const auto& root : roots) {
    const std::string where = "operator-mount-roots entry " + message::quoted(root);
    if (!path_shape::is_absolute(root)) return message::invalid(where + " is not an absolute path");
    auto canonical = resolve_host_path(root);
    if (!canonical) return message::invalid(where + " cannot be resolved: " + canonical.error().message);
    std::error_code ec;
    if (!std::filesystem::is_directory(from_utf8(*canonical), ec)) {
      return message::invalid(where + " is not a folder");
    }
    resolved.push_back(std::move(*canonical));
  }
  return resolved;
}

}  // namespace silo::services
