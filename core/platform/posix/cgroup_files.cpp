#include "core/platform/posix/cgroup_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

namespace silo::platform::cgroup_files {

Result<void> write_value(const std::filesystem::path& file, std::string_view value) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_error(Errc::internal, "open " + file.string(), errno);
  ssize_t n = 0;
  do {
    n = ::write(fd, value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  ::close(fd);
  if (n < 0) return errno_error(Errc::internal, "write \"" + std::string(value) + "\" to " + file.string(), err);
  return {};
}

Result<std::string> read_value(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return errno_error(Errc::internal, "read " + file.string(), errno);
  std::ostringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

Result<std::optional<std::uint64_t>> read_limit(const std::filesystem::path& file) {
  auto text = read_value(file);
  if (!text) return text.error();
  if (*text == "max") return std::optional<std::uint64_t>{};
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{}) return make_error(Errc::internal, "unexpected content in " + file.string() + ": " + *text);
  (void)ptr;
  // cgroup v1 spells "no limit" as the largest page-aligned counter value.
  if (value >= (std::uint64_t{1} << 62)) return std::optional<std::uint64_t>{};
  return std::optional<std::uint64_t>{value};
}

std::uint64_t read_number_or_zero(const std::filesystem::path& file) {
  auto value = read_limit(file);
  return value && value->has_value() ? **value : 0;
}

std::optional<std::uint64_t> read_keyed(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string name;
  std::uint64_t value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return std::nullopt;
}

}  // namespace silo::platform::cgroup_files
