// A streaming reader of tar archives (ustar, POSIX pax, GNU long names, v7), written for silo
// because the Windows builds have no libarchive (Debian ships no mingw build of it and nothing
// else carries its sources). The Linux layer import keeps libarchive (tar_extract.h); this reader
// is what turns a Windows layer tar into HCS's import layout (storage/windows_layers/), and it is
// tested on both platforms.
//
// It only parses: it never touches the file system, and names come back as stored (checking them
// is the caller's policy). What it understands:
// - headers: the checksum is verified (unsigned sum, and the signed sum old tars used); numeric
//   fields in octal or GNU base-256; ustar's prefix joined to the name.
// - pax: extended headers ('x') apply to the next entry, global ones ('g') to every entry after
//   them; path, linkpath, size, mtime (with fraction), uid, gid override the header's fields, and
//   every record (MSWINDOWS.*, LIBARCHIVE.*, SCHILY.xattr.* ...) is kept in TarEntry::pax.
// - GNU: 'L' (long name) and 'K' (long link name) entries.
// - the end: two zero blocks, or the stream ending exactly at a block boundary after the last
//   entry's data (some writers omit the zero blocks). A stream ending anywhere else is an error.
// Limits (TarReaderLimits) bound each header's metadata so a hostile archive cannot make the
// reader allocate without bound; data sizes are the caller's to bound.
#pragma once

#include "storage/layers/byte_source.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace silo::layers {

enum class TarEntryType { file, directory, symlink, hardlink, char_device, block_device, fifo, other };

struct TarEntry {
  std::string name;       // as stored: pax path, else GNU long name, else ustar prefix + "/" + name
  std::string link_name;  // symlink target or hard link source, as stored
  TarEntryType type = TarEntryType::file;
  char typeflag = '0';    // the raw type byte ('\0' and '0' are both regular files)
  std::uint64_t size = 0; // bytes of data that follow (0 for everything but regular files)
  std::uint32_t mode = 0; // permission bits and setuid/setgid/sticky (no file-type bits)
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::int64_t mtime_seconds = 0;
  std::uint32_t mtime_nanoseconds = 0;  // from a pax mtime with a fraction, else 0
  std::uint32_t device_major = 0;
  std::uint32_t device_minor = 0;
  std::map<std::string, std::string> pax;  // every pax record that applies (global, then local)
};

struct TarReaderLimits {
  std::uint64_t max_metadata_bytes = 1 << 20;  // one pax header or GNU long name/link entry
  std::uint64_t max_name_bytes = 4095;          // one name or link name, however it was stored
};

// pax's number and time syntax, also for the records callers read from TarEntry::pax: a decimal
// (digits only, the whole text, in range; a leading '-' only with allow_negative), and a time
// "<seconds>[.<fraction>]" normalized like a timespec ("-1.25" is -2 s + 750000000 ns).
std::optional<std::int64_t> parse_pax_decimal(std::string_view text, bool allow_negative);
bool parse_pax_time(std::string_view text, std::int64_t& seconds, std::uint32_t& nanoseconds);

class TarEntryReader {
 public:
  explicit TarEntryReader(ByteSource& source, TarReaderLimits limits = {});

  // The next entry's header, or nullopt at the end of the archive. Skips whatever the caller left
  // unread of the previous entry's data. Errors are invalid_argument and say what is wrong and the
  // entry's position (its index and byte offset), e.g. "tar entry 3 at byte 1536: bad checksum".
  Result<std::optional<TarEntry>> next();

  // Reads the current entry's data; 0 once all of it was read.
  Result<std::size_t> read_data(std::span<char> out);

  // Bytes consumed from the source so far (headers, data, padding).
  std::uint64_t offset() const noexcept { return offset_; }

 private:
  Result<std::optional<TarEntry>> read_entry();
  Result<std::size_t> read_some(std::span<char> out);  // one source read, counted in offset_
  Result<std::size_t> read_full(std::span<char> out);  // fills out unless the stream ends first
  Result<bool> read_block(std::span<char, 512> block);  // false at a clean end of stream
  Result<void> skip(std::uint64_t bytes);
  Result<std::string> read_metadata(std::uint64_t size, const char* what);
  Result<void> add_global(std::string_view records);
  Error fail(const std::string& what) const;  // "tar entry N at byte B: what"

  ByteSource& source_;
  TarReaderLimits limits_;
  std::uint64_t offset_ = 0;
  std::uint64_t entries_ = 0;       // entries returned so far
  std::uint64_t entry_index_ = 0;   // the entry being read, or whose data is being read
  std::uint64_t entry_offset_ = 0;  // where its first header (pax, GNU or its own) starts
  std::uint64_t data_left_ = 0;     // unread data bytes of the current entry
  std::uint64_t padding_left_ = 0;  // zero padding after them, up to the next block
  std::map<std::string, std::string> global_pax_;
  std::uint64_t global_pax_bytes_ = 0;  // keys and values in global_pax_, bounded by max_metadata_bytes
  bool ended_ = false;
  std::optional<Error> failed_;  // the first error, returned again by every later call
};

}  // namespace silo::layers
