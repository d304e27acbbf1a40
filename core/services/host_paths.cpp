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

std::string to_utf8(const std::filesystem::path& path) {
  std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace

Result<std::string> resolve_host_path(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(from_utf8(path), ec);
  if (ec) {
    Errc code = ec == std::errc::no_such_file_or_directory ? Errc::not_found : Errc::invalid_argument;
    return make_error(code, message::quoted(path) + ": " + ec.message());
  }
  return to_utf8(canonical);
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
