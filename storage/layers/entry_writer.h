// Writes one checked tar entry into the layer tree (tar_extract.h states the policy).
#pragma once

#include "storage/layers/extract_limits.h"
#include "storage/layers/safe_tree.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

struct archive;
struct archive_entry;

namespace silo::layers {

class EntryWriter {
 public:
  EntryWriter(int root_fd, const ExtractLimits& limits);

  // Writes the entry whose header was just read from `reader`, reading its data when it has some.
  Result<void> write(archive* reader, archive_entry* entry);
  // Applies folder mtimes last, since every entry written into a folder changes its mtime.
  Result<void> finish();
  std::uint64_t content_bytes() const noexcept { return content_bytes_; }

 private:
  struct Meta {
    std::string name;
    unsigned mode = 0;
    long long uid = 0;
    long long gid = 0;
    timespec mtime{};
  };

  Result<void> write_folder(const std::vector<std::string>& parts, const Meta& meta);
  Result<void> write_file(archive* reader, int dir, const std::string& base, const Meta& meta, std::int64_t size);
  Result<void> write_symlink(const std::vector<std::string>& parts, int dir, const Meta& meta, const std::string& target);
  Result<void> write_hardlink(int dir, const std::string& base, const Meta& meta, const std::string& target);
  Result<void> write_fifo(int dir, const std::string& base, const Meta& meta);
  Result<void> write_whiteout(int dir, const std::string& base, const std::string& hidden, const Meta& meta);
  Result<void> mark_opaque(const std::vector<std::string>& parts, const Meta& meta);
  Result<void> set_owner(int dir, const std::string& base, const Meta& meta);

  SafeTree tree_;
  ExtractLimits limits_;
  std::uint64_t content_bytes_ = 0;
  std::vector<std::pair<std::vector<std::string>, timespec>> folder_times_;
};

}  // namespace silo::layers
