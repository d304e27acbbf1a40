#include "storage/layers/safe_tree.h"

#include "storage/layers/entry_names.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace silo::layers {
namespace {

constexpr int kMaxDepth = 4096;  // PATH_MAX bounds real trees far below this

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() noexcept {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<UniqueFd> SafeTree::walk(const std::vector<std::string>& parts, std::size_t count, bool create) {
  UniqueFd current(::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0));
  if (!current) return errno_error(Errc::internal, "cannot duplicate the layer folder descriptor", errno);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& part = parts[i];
    int fd = ::openat(current.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(current.get(), part.c_str(), 0755) != 0 && errno != EEXIST) {
        return errno_error(Errc::internal, "cannot create folder " + join_parts(parts, i + 1), errno);
      }
      fd = ::openat(current.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      int err = errno;
      if (err == ELOOP || err == ENOTDIR) {
        return make_error(Errc::invalid_argument, "path " + join_parts(parts, count) + " goes through " +
                                                      join_parts(parts, i + 1) +
                                                      ", which is a symlink or not a folder; extraction never follows links");
      }
      return errno_error(err == ENOENT ? Errc::invalid_argument : Errc::internal, "cannot open folder " + join_parts(parts, i + 1), err);
    }
    current = UniqueFd(fd);
  }
  return current;
}

Result<int> SafeTree::parent_of(const std::vector<std::string>& parts, bool create) {
  std::size_t count = parts.empty() ? 0 : parts.size() - 1;
  auto key = join_parts(parts, count);
  if (cache_valid_ && key == cached_path_) return cached_fd_.get();
  auto opened = walk(parts, count, create);
  if (!opened) return opened.error();
  cached_fd_ = std::move(*opened);
  cached_path_ = std::move(key);
  cache_valid_ = true;
  return cached_fd_.get();
}

Result<UniqueFd> SafeTree::open_folder(const std::vector<std::string>& parts, bool create) {
  return walk(parts, parts.size(), create);
}

Result<void> SafeTree::clear(int dir, const std::string& name, bool keep_folder) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    return errno_error(Errc::internal, "cannot inspect " + name, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_folder) return {};
    cache_valid_ = false;  // the cached folder may be inside what goes away
    return remove_tree(dir, name, 0);
  }
  if (::unlinkat(dir, name.c_str(), 0) != 0) return errno_error(Errc::internal, "cannot replace " + name, errno);
  return {};
}

Result<void> SafeTree::remove_tree(int dir, const std::string& name, int depth) {
  if (depth > kMaxDepth) return make_error(Errc::invalid_argument, "folder tree under " + name + " is too deep");
  int fd = ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno_error(Errc::internal, "cannot open folder " + name + " to remove it", errno);
  DIR* listing = ::fdopendir(fd);
  if (!listing) {
    ::close(fd);
    return errno_error(Errc::internal, "cannot list folder " + name, errno);
  }
  Result<void> outcome;
  while (dirent* item = ::readdir(listing)) {
    std::string child = item->d_name;
    if (child == "." || child == "..") continue;
    if (::unlinkat(fd, child.c_str(), 0) == 0) continue;
    if (errno != EISDIR && errno != EPERM) {
      outcome = errno_error(Errc::internal, "cannot remove " + name + "/" + child, errno);
      break;
    }
    outcome = remove_tree(fd, child, depth + 1);
    if (!outcome) break;
  }
  ::closedir(listing);
  if (!outcome) return outcome;
  if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0) return errno_error(Errc::internal, "cannot remove folder " + name, errno);
  return {};
}

}  // namespace silo::layers
