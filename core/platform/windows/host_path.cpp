#include "core/platform/host_path.h"

#include "core/model/message_text.h"

#include <filesystem>
#include <system_error>
#include <utility>

namespace silo::platform {

Result<PinnedHostPath> PinnedHostPath::open(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(std::filesystem::path(std::u8string(path.begin(), path.end())), ec);
  if (ec) {
    Errc code = ec == std::errc::no_such_file_or_directory ? Errc::not_found : Errc::invalid_argument;
    return make_error(code, message::quoted(path) + ": " + ec.message());
  }
  std::u8string text = canonical.u8string();
  PinnedHostPath pinned;
  pinned.resolved_.assign(text.begin(), text.end());
  return pinned;
}

// HCS and bindflt take the resolved path itself.
Result<std::string> PinnedHostPath::stage_at(const std::filesystem::path&) {
  return resolved_;
}

void PinnedHostPath::clear_staging(const std::filesystem::path&) {}

void PinnedHostPath::unstage() noexcept {}

PinnedHostPath::PinnedHostPath(PinnedHostPath&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), resolved_(std::move(other.resolved_)), staged_(std::move(other.staged_)) {}

PinnedHostPath& PinnedHostPath::operator=(PinnedHostPath&& other) noexcept {
  fd_ = std::exchange(other.fd_, -1);
  resolved_ = std::move(other.resolved_);
  staged_ = std::move(other.staged_);
  return *this;
}

PinnedHostPath::~PinnedHostPath() = default;

}  // namespace silo::platform
