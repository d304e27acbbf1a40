#include "storage/layers/entry_writer.h"

#include "storage/layers/entry_names.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>

namespace silo::layers {
namespace {

Error entry_error(const std::string& name, std::string_view what) {
  return make_error(Errc::invalid_argument, "tar entry \"" + name + "\": " + std::string(what));
}

std::string libarchive_text(archive* reader) {
  const char* text = archive_error_string(reader);
  return text ? text : "unknown libarchive error";
}

}  // namespace

EntryWriter::EntryWriter(int root_fd, const ExtractLimits& limits) : tree_(root_fd), limits_(limits) {}

Result<void> EntryWriter::set_owner(int dir, const std::string& base, const Meta& meta) {
  if (::fchownat(dir, base.c_str(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid), AT_SYMLINK_NOFOLLOW) != 0) {
    // Only root may give files away; a non-root silod keeps them as its own (documented).
    if (errno == EPERM && ::geteuid() != 0) return {};
    return errno_error(Errc::internal, "cannot set the owner of " + meta.name, errno);
  }
  return {};
}

Result<void> EntryWriter::write(archive* reader, archive_entry* entry) {
  Meta meta;
  const char* raw = archive_entry_pathname(entry);
  if (!raw) raw = archive_entry_pathname_utf8(entry);
  if (!raw) return make_error(Errc::invalid_argument, "a tar entry has a name that cannot be read");
  meta.name = raw;
  meta.mode = archive_entry_perm(entry) & 07777;
  meta.uid = archive_entry_uid(entry);
  meta.gid = archive_entry_gid(entry);
  meta.mtime = {static_cast<time_t>(archive_entry_mtime(entry)), static_cast<long>(archive_entry_mtime_nsec(entry))};
  auto parts = split_entry_name(meta.name, limits_.max_path_bytes);
  if (!parts) return parts.error();

  auto type = archive_entry_filetype(entry);
  const char* hardlink = archive_entry_hardlink(entry);
  if (parts->empty()) {
    if (type == AE_IFDIR && !hardlink) return write_folder(*parts, meta);
    return entry_error(meta.name, "names the layer root but is not a folder");
  }
  const std::string& base = parts->back();
  if (base == kOpaqueMarker) return mark_opaque(*parts, meta);
  auto hidden = whiteout_target(base);
  if (hidden && (hidden->empty() || *hidden == "." || *hidden == "..")) return entry_error(meta.name, "is a whiteout of no valid name");
  if (type == AE_IFDIR && !hardlink && !hidden) return write_folder(*parts, meta);

  auto dir = tree_.parent_of(*parts, /*create=*/true);
  if (!dir) return dir.error();
  if (hidden) return write_whiteout(*dir, base, *hidden, meta);
  if (hardlink) return write_hardlink(*dir, base, meta, hardlink);
  switch (type) {
    case AE_IFREG: return write_file(reader, *dir, base, meta, archive_entry_size(entry));
    case AE_IFLNK: {
      const char* target = archive_entry_symlink(entry);
      if (!target) return entry_error(meta.name, "is a symlink without a target");
      return write_symlink(*parts, *dir, meta, target);
    }
    case AE_IFIFO: return write_fifo(*dir, base, meta);
    case AE_IFCHR: return entry_error(meta.name, "is a character device; layers may not contain device nodes");
    case AE_IFBLK: return entry_error(meta.name, "is a block device; layers may not contain device nodes");
    default: return entry_error(meta.name, "has an unsupported type (" + std::to_string(type) + ")");
  }
}

Result<void> EntryWriter::write_folder(const std::vector<std::string>& parts, const Meta& meta) {
  if (!parts.empty()) {
    auto dir = tree_.parent_of(parts, true);
    if (!dir) return dir.error();
    SILO_TRY(tree_.clear(*dir, parts.back(), /*keep_folder=*/true));
    if (::mkdirat(*dir, parts.back().c_str(), 0700) != 0 && errno != EEXIST) {
      return errno_error(Errc::internal, "cannot create folder " + meta.name, errno);
    }
  }
  auto folder = tree_.open_folder(parts, false);
  if (!folder) return folder.error();
  if (::fchown(folder->get(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid)) != 0 &&
      !(errno == EPERM && ::geteuid() != 0)) {
    return errno_error(Errc::internal, "cannot set the owner of " + meta.name, errno);
  }
  if (::fchmod(folder->get(), meta.mode) != 0) return errno_error(Errc::internal, "cannot set the mode of " + meta.name, errno);
  folder_times_.emplace_back(parts, meta.mtime);
  return {};
}

Result<void> EntryWriter::write_file(archive* reader, int dir, const std::string& base, const Meta& meta, std::int64_t size) {
  if (size < 0 || static_cast<std::uint64_t>(size) > limits_.max_file_bytes) {
    return make_error(Errc::invalid_argument, "tar entry \"" + meta.name + "\" claims " + std::to_string(size) +
                                                  " bytes, over the limit of " + std::to_string(limits_.max_file_bytes) +
                                                  " bytes for one file (max-layer-file-bytes)");
  }
  SILO_TRY(tree_.clear(dir, base, false));
  UniqueFd file(::openat(dir, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!file) return errno_error(Errc::internal, "cannot create " + meta.name, errno);
  for (;;) {
    const void* block = nullptr;
    size_t length = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(reader, &block, &length, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return make_error(Errc::invalid_argument, "reading tar entry \"" + meta.name + "\": " + libarchive_text(reader));
    if (offset < 0 || static_cast<std::uint64_t>(offset) + length > static_cast<std::uint64_t>(size)) {
      return entry_error(meta.name, "has data beyond its stated size");
    }
    const char* bytes = static_cast<const char*>(block);
    while (length > 0) {
      ssize_t n = ::pwrite(file.get(), bytes, length, offset);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return errno_error(Errc::internal, "cannot write " + meta.name, errno);
      bytes += n;
      length -= static_cast<size_t>(n);
      offset += n;
    }
  }
  // Sparse files end in a hole that no data block covers.
  if (::ftruncate(file.get(), size) != 0) return errno_error(Errc::internal, "cannot size " + meta.name, errno);
  content_bytes_ += static_cast<std::uint64_t>(size);
  if (::fchown(file.get(), static_cast<uid_t>(meta.uid), static_cast<gid_t>(meta.gid)) != 0 && !(errno == EPERM && ::geteuid() != 0)) {
    return errno_error(Errc::internal, "cannot set the owner of " + meta.name, errno);
  }
  // After chown, which clears setuid/setgid.
  if (::fchmod(file.get(), meta.mode) != 0) return errno_error(Errc::internal, "cannot set the mode of " + meta.name, errno);
  timespec times[2] = {meta.mtime, meta.mtime};
  if (::futimens(file.get(), times) != 0) return errno_error(Errc::internal, "cannot set the time of " + meta.name, errno);
  return {};
}

Result<void> EntryWriter::write_symlink(const std::vector<std::string>& parts, int dir, const Meta& meta, const std::string& target) {
  if (target.empty() || target.size() > limits_.max_path_bytes || target.find('\0') != std::string::npos) {
    return entry_error(meta.name, "has an empty or over-long symlink target");
  }
  if (!target.starts_with('/') && !relative_target_stays_inside(parts, target)) {
    return entry_error(meta.name, "is a symlink to \"" + target + "\", which climbs out of the layer");
  }
  SILO_TRY(tree_.clear(dir, parts.back(), false));
  if (::symlinkat(target.c_str(), dir, parts.back().c_str()) != 0) return errno_error(Errc::internal, "cannot create symlink " + meta.name, errno);
  SILO_TRY(set_owner(dir, parts.back(), meta));
  timespec times[2] = {meta.mtime, meta.mtime};
  ::utimensat(dir, parts.back().c_str(), times, AT_SYMLINK_NOFOLLOW);  // best effort: some file systems refuse
  return {};
}

Result<void> EntryWriter::write_hardlink(int dir, const std::string& base, const Meta& meta, const std::string& target) {
  auto target_parts = split_entry_name(target, limits_.max_path_bytes);
  if (!target_parts) return entry_error(meta.name, "is a hard link that leaves the layer: " + target_parts.error().message);
  if (target_parts->empty()) return entry_error(meta.name, "is a hard link to the layer root");
  // Open the target's folder on its own descriptor: parent_of would evict the entry's own folder.
  std::vector<std::string> target_folder(target_parts->begin(), target_parts->end() - 1);
  auto source_dir = tree_.open_folder(target_folder, false);
  if (!source_dir) return entry_error(meta.name, "is a hard link to \"" + target + "\", which is not in the layer before it");
  struct stat st {};
  if (::fstatat(source_dir->get(), target_parts->back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return entry_error(meta.name, "is a hard link to \"" + target + "\", which is not in the layer before it");
  }
  if (S_ISDIR(st.st_mode)) return entry_error(meta.name, "is a hard link to a folder");
  struct stat self {};
  if (::fstatat(dir, base.c_str(), &self, AT_SYMLINK_NOFOLLOW) == 0 && self.st_ino == st.st_ino && self.st_dev == st.st_dev) {
    return {};  // a link to itself: already there
  }
  SILO_TRY(tree_.clear(dir, base, false));
  // Flags 0: a link to a symlink links the symlink itself, never what it points at.
  if (::linkat(source_dir->get(), target_parts->back().c_str(), dir, base.c_str(), 0) != 0) {
    return errno_error(Errc::internal, "cannot create hard link " + meta.name, errno);
  }
  return {};
}

Result<void> EntryWriter::write_fifo(int dir, const std::string& base, const Meta& meta) {
  SILO_TRY(tree_.clear(dir, base, false));
  if (::mkfifoat(dir, base.c_str(), 0600) != 0) return errno_error(Errc::internal, "cannot create fifo " + meta.name, errno);
  SILO_TRY(set_owner(dir, base, meta));
  if (::fchmodat(dir, base.c_str(), meta.mode, 0) != 0) return errno_error(Errc::internal, "cannot set the mode of " + meta.name, errno);
  return {};
}

Result<void> EntryWriter::write_whiteout(int dir, const std::string& base, const std::string& hidden, const Meta& meta) {
  (void)base;
  SILO_TRY(tree_.clear(dir, hidden, false));
  if (::mknodat(dir, hidden.c_str(), S_IFCHR | 0000, makedev(0, 0)) != 0) {
    return errno_error(Errc::internal, "cannot record whiteout " + meta.name + " as an overlayfs 0/0 device (silod must run as root)", errno);
  }
  return {};
}

Result<void> EntryWriter::mark_opaque(const std::vector<std::string>& parts, const Meta& meta) {
  std::vector<std::string> folder_parts(parts.begin(), parts.end() - 1);
  auto folder = tree_.open_folder(folder_parts, true);
  if (!folder) return folder.error();
  if (::fsetxattr(folder->get(), "trusted.overlay.opaque", "y", 1, 0) != 0) {
    return errno_error(Errc::internal, "cannot mark " + meta.name + "'s folder opaque (trusted.overlay.opaque; silod must run as root)", errno);
  }
  return {};
}

Result<void> EntryWriter::finish() {
  // Deepest first would not matter: setting a folder's times does not touch its parent's.
  for (const auto& [parts, mtime] : folder_times_) {
    auto folder = tree_.open_folder(parts, false);
    if (!folder) continue;  // replaced by a later entry
    timespec times[2] = {mtime, mtime};
    ::futimens(folder->get(), times);
  }
  return {};
}

}  // namespace silo::layers
