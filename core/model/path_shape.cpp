#include "core/model/path_shape.h"

#include <algorithm>

namespace silo::path_shape {
namespace {

bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_separator(char c) noexcept {
  return c == '/' || c == '\\';
}

constexpr std::string_view kPipePrefix = "\\\\.\\pipe\\";

}  // namespace

bool is_named_pipe(std::string_view path) noexcept {
  return path.size() > kPipePrefix.size() && path.substr(0, kPipePrefix.size()) == kPipePrefix;
}

bool is_windows_drive_absolute(std::string_view path) noexcept {
  return path.size() >= 3 && is_letter(path[0]) && path[1] == ':' && is_separator(path[2]);
}

bool is_absolute(std::string_view path) noexcept {
  return (!path.empty() && path.front() == '/') || is_windows_drive_absolute(path);
}

bool has_parent_component(std::string_view path) noexcept {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = start;
    while (end < path.size() && !is_separator(path[end])) ++end;
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string comparison_key(std::string_view path) {
  if (is_named_pipe(path)) {
    // Pipe names are flat and case-insensitive; the leading "\\" must not collapse into "/".
    std::string key(path);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
  }
  bool windows_form = is_windows_drive_absolute(path);
  std::string key;
  key.reserve(path.size());
  for (char c : path) {
    char out = is_separator(c) ? '/' : c;
    if (out == '/' && !key.empty() && key.back() == '/') continue;
    if (windows_form && out >= 'A' && out <= 'Z') out = static_cast<char>(out - 'A' + 'a');
    key.push_back(out);
  }
  // Keep the root of "/" and "c:/" so they stay distinguishable from an empty path.
  bool is_root = key == "/" || (windows_form && key.size() == 3 && key[1] == ':');
  if (!is_root && key.size() > 1 && key.back() == '/') key.pop_back();
  return key;
}

bool is_same_or_under(std::string_view path, std::string_view base) {
  std::string p = comparison_key(path);
  std::string b = comparison_key(base);
  if (p == b) return true;
  if (!b.empty() && b.back() != '/') b.push_back('/');
  return p.size() > b.size() && std::equal(b.begin(), b.end(), p.begin());
}

}  // namespace silo::path_shape
