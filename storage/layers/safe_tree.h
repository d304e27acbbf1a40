// Descriptor-relative file operations rooted at one open folder (a layer's temporary folder).
// Every path is walked one component at a time with O_NOFOLLOW|O_DIRECTORY from the root's
// descriptor, and names never contain ".." (entry_names.h), so no symlink or hard link planted by
// an earlier tar entry can redirect a later write outside the root (the CVE-2021-32760 class).
// Final components are created with O_EXCL / *at calls that do not follow links.
#pragma once

#include "core/errors.h"

#include <string>
#include <vector>

namespace silo::layers {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const noexcept { return fd_; }
  int release() noexcept;
  void reset() noexcept;
  explicit operator bool() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class SafeTree {
 public:
  explicit SafeTree(int root_fd) : root_fd_(root_fd) {}

  // The folder that holds parts.back(), walking parts[0..n-2]; missing folders are created 0755
  // when `create` is set. The descriptor stays owned by the tree (one cached folder).
  Result<int> parent_of(const std::vector<std::string>& parts, bool create);
  // Opens the folder named by all of parts ({} is the root); the caller owns the descriptor.
  Result<UniqueFd> open_folder(const std::vector<std::string>& parts, bool create);

  // Removes whatever `name` is in `dir` (a folder with all its content), not following links.
  // keep_folder: an existing folder stays (a folder entry over a folder merges, as tar does).
  Result<void> clear(int dir, const std::string& name, bool keep_folder);

 private:
  Result<UniqueFd> walk(const std::vector<std::string>& parts, std::size_t count, bool create);
  Result<void> remove_tree(int dir, const std::string& name, int depth);

  int root_fd_;
  std::string cached_path_;
  UniqueFd cached_fd_;
  bool cache_valid_ = false;
};

}  // namespace silo::layers
