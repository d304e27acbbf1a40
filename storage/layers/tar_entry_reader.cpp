#include "storage/layers/tar_entry_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

namespace silo::layers {
namespace {

constexpr std::size_t kBlock = 512;

// Header fields as POSIX ustar lays them out; v7 and GNU headers share everything up to the magic.
struct Field {
  std::size_t offset;
  std::size_t size;
  const char* name;
};
constexpr Field kName{0, 100, "name"};
constexpr Field kMode{100, 8, "mode"};
constexpr Field kUid{108, 8, "uid"};
constexpr Field kGid{116, 8, "gid"};
constexpr Field kSize{124, 12, "size"};
constexpr Field kMtime{136, 12, "mtime"};
constexpr Field kChecksum{148, 8, "checksum"};
constexpr std::size_t kTypeflag = 156;
constexpr Field kLinkname{157, 100, "linkname"};
constexpr Field kDevMajor{329, 8, "devmajor"};
constexpr Field kDevMinor{337, 8, "devminor"};
constexpr Field kPrefix{345, 155, "prefix"};

using Block = std::array<char, kBlock>;

std::string_view field(const Block& block, Field f) {
  return {block.data() + f.offset, f.size};
}

// Name fields end at their first NUL, or fill the whole field.
std::string c_string(std::string_view s) {
  return std::string(s.substr(0, s.find('\0')));
}

bool is_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A value shown in a message: quoted, cut at 40 bytes, bytes that are not printable ASCII escaped.
std::string quote(std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s.substr(0, 40)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '"' || c == '\\') {
      out += {'\\', c};
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += {'\\', 'x', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out + (s.size() > 40 ? "...\"" : "\"");
}

// Octal as writers produce it: padded with spaces or NULs on either side, cut at a NUL (what Go's
// archive/tar accepts). An empty field is 0. At most 12 digits, so no overflow.
std::optional<std::int64_t> parse_octal(std::string_view s) {
  auto first = s.find_first_not_of(std::string_view(" \0", 2));
  if (first == std::string_view::npos) return 0;
  s = s.substr(first, s.find_last_not_of(std::string_view(" \0", 2)) + 1 - first);
  s = s.substr(0, s.find('\0'));
  std::int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return std::nullopt;
    value = value * 8 + (c - '0');
  }
  return value;
}

// A header number: GNU base-256 when the first byte has its high bit set (two's complement, big
// endian, the rest of the first byte included; bit 6 is the sign), else octal.
std::optional<std::int64_t> parse_number(std::string_view s) {
  if (s.empty() || (static_cast<unsigned char>(s[0]) & 0x80) == 0) return parse_octal(s);
  const unsigned char invert = (static_cast<unsigned char>(s[0]) & 0x40) ? 0xff : 0x00;  // -a-1 == ~a
  std::uint64_t magnitude = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto byte = static_cast<unsigned char>(static_cast<unsigned char>(s[i]) ^ invert);
    if (i == 0) byte &= 0x7f;
    if (magnitude >> 55) return std::nullopt;  // the next shift would lose bits
    magnitude = magnitude << 8 | byte;
  }
  if (magnitude >> 63) return std::nullopt;
  auto value = static_cast<std::int64_t>(magnitude);
  return invert ? ~value : value;
}

struct PaxRecord {
  std::string_view key;
  std::string_view value;
};

// Splits a pax header's data into "<length> <key>=<value>\n" records, where <length> counts the
// whole record. Returns what is wrong with the first bad record, or an empty string.
std::string split_pax(std::string_view data, std::vector<PaxRecord>& records) {
  while (!data.empty()) {
    auto space = data.find(' ');
    auto digits = data.substr(0, space);
    auto line = data.substr(0, data.find('\n') + 1);  // what to show when the length is unusable
    auto bad = [&](std::string_view shown, const std::string& why) {
      return "pax record " + quote(shown) + " is malformed: " + why;
    };
    if (space == std::string_view::npos || space == 0 || !is_digits(digits)) {
      return bad(line, "it does not start with a decimal length and a space");
    }
    auto parsed = parse_pax_decimal(digits, false);
    auto length = parsed ? static_cast<std::uint64_t>(*parsed) : std::numeric_limits<std::uint64_t>::max();
    if (length > data.size()) {
      return bad(line, "its length " + std::to_string(length) + " runs past the end of the header (" +
                           std::to_string(data.size()) + " bytes left)");
    }
    auto record = data.substr(0, static_cast<std::size_t>(length));
    if (length <= space + 1 || record.back() != '\n') {
      return bad(line, "its length " + std::to_string(length) + " does not end at its newline");
    }
    auto body = record.substr(space + 1, record.size() - space - 2);
    auto equals = body.find('=');
    if (equals == std::string_view::npos) return bad(record, "it has no '='");
    PaxRecord r{body.substr(0, equals), body.substr(equals + 1)};
    if (r.key.empty()) return bad(record, "its key is empty");
    if (r.key.find('\0') != std::string_view::npos) return bad(record, "its key contains a NUL byte");
    if ((r.key == "path" || r.key == "linkpath") && r.value.find('\0') != std::string_view::npos) {
      return bad(record, "the " + std::string(r.key) + " contains a NUL byte");
    }
    records.push_back(r);
    data.remove_prefix(record.size());
  }
  return {};
}

TarEntryType type_of(char typeflag) {
  switch (typeflag) {
    case '\0':
    case '0':
    case '7':  // contiguous file: POSIX says to treat it as a regular file
      return TarEntryType::file;
    case '1':
      return TarEntryType::hardlink;
    case '2':
      return TarEntryType::symlink;
    case '3':
      return TarEntryType::char_device;
    case '4':
      return TarEntryType::block_device;
    case '5':
      return TarEntryType::directory;
    case '6':
      return TarEntryType::fifo;
    default:
      return TarEntryType::other;
  }
}

}  // namespace

// A pax decimal ("size", "uid", "gid"): digits only, the whole value, in range.
std::optional<std::int64_t> parse_pax_decimal(std::string_view s, bool allow_negative) {
  bool negative = allow_negative && !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || !is_digits(s)) return std::nullopt;
  std::uint64_t magnitude = 0;
  const std::uint64_t max = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + (negative ? 1 : 0);
  for (char c : s) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (max - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (!negative) return static_cast<std::int64_t>(magnitude);
  return magnitude == 0 ? 0 : -static_cast<std::int64_t>(magnitude - 1) - 1;
}

// A pax time, "<seconds>[.<fraction>]", seconds possibly negative. The result is normalized like a
// timespec (nanoseconds in [0, 1e9)), so "-1.25" is -2 s + 750000000 ns. Digits past nanoseconds are
// dropped, as Go does.
bool parse_pax_time(std::string_view s, std::int64_t& seconds, std::uint32_t& nanoseconds) {
  auto dot = s.find('.');
  auto whole = parse_pax_decimal(s.substr(0, dot), true);
  if (!whole) return false;
  std::uint32_t fraction = 0;
  if (dot != std::string_view::npos) {
    auto digits = s.substr(dot + 1);
    if (!is_digits(digits)) return false;
    for (std::size_t i = 0; i < 9; ++i) fraction = fraction * 10 + (i < digits.size() ? digits[i] - '0' : 0);
  }
  seconds = *whole;
  nanoseconds = fraction;
  if (s[0] == '-' && fraction != 0) {  // "-0.5" has whole 0, so the sign comes from the text
    if (seconds == std::numeric_limits<std::int64_t>::min()) return false;
    seconds -= 1;
    nanoseconds = 1'000'000'000 - fraction;
  }
  return true;
}

TarEntryReader::TarEntryReader(ByteSource& source, TarReaderLimits limits) : source_(source), limits_(limits) {}

Error TarEntryReader::fail(const std::string& what) const {
  return make_error(Errc::invalid_argument, "tar entry " + std::to_string(entry_index_) + " at byte " +
                                                std::to_string(entry_offset_) + ": " + what);
}

// Errors are sticky: after one, the position in the stream means nothing, so every later call
// repeats it instead of parsing from the middle of something.
Result<std::optional<TarEntry>> TarEntryReader::next() {
  if (failed_) return *failed_;
  auto entry = read_entry();
  if (!entry) failed_ = entry.error();
  return entry;
}

Result<std::size_t> TarEntryReader::read_data(std::span<char> out) {
  if (failed_) return *failed_;
  if (data_left_ == 0 || out.empty()) return 0;
  auto n = read_some(out.first(static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), data_left_))));
  if (n && *n == 0) {
    n = fail("the archive ends inside the entry's data (" + std::to_string(data_left_) + " more bytes expected)");
  }
  if (!n) {
    failed_ = n.error();
    return n;
  }
  data_left_ -= *n;
  return n;
}

Result<std::size_t> TarEntryReader::read_some(std::span<char> out) {
  auto n = source_.read(out);
  if (!n) return n;
  // A source that claims more than it was given room for would throw every count below off.
  if (*n > out.size()) return make_error(Errc::internal, "the layer stream returned more bytes than were asked for");
  offset_ += *n;
  return n;
}

Result<std::size_t> TarEntryReader::read_full(std::span<char> out) {
  std::size_t done = 0;
  while (done < out.size()) {  // sources may return a byte at a time; each pass makes progress or stops
    auto n = read_some(out.subspan(done));
    if (!n) return n;
    if (*n == 0) break;
    done += *n;
  }
  return done;
}

Result<bool> TarEntryReader::read_block(std::span<char, 512> block) {
  auto n = read_full(block);
  if (!n) return n.error();
  if (*n == 0) return false;
  if (*n < kBlock) return fail("the archive ends inside a header (" + std::to_string(*n) + " of 512 bytes)");
  return true;
}

Result<void> TarEntryReader::skip(std::uint64_t bytes) {
  std::array<char, 4096> sink;
  while (bytes > 0) {
    auto n = read_some(std::span(sink).first(static_cast<std::size_t>(std::min<std::uint64_t>(bytes, sink.size()))));
    if (!n) return n.error();
    if (*n == 0) {
      return fail("the archive ends inside the entry's data or the padding after it (" + std::to_string(bytes) +
                  " more bytes expected)");
    }
    bytes -= *n;
  }
  return {};
}

// The data of a pax or GNU metadata header; the caller has checked size against the limits.
Result<std::string> TarEntryReader::read_metadata(std::uint64_t size, const char* what) {
  std::string data(static_cast<std::size_t>(size), '\0');
  auto n = read_full(data);
  if (!n) return n.error();
  if (*n < data.size()) return fail(std::string("the archive ends inside the ") + what);
  auto padding = (kBlock - size % kBlock) % kBlock;
  std::array<char, kBlock> sink;
  n = read_full(std::span(sink).first(padding));
  if (!n) return n.error();
  if (*n < padding) return fail(std::string("the archive ends inside the ") + what);
  return data;
}

// A global header's records update the set every later entry starts from; an empty value deletes.
Result<void> TarEntryReader::add_global(std::string_view data) {
  std::vector<PaxRecord> records;
  if (auto why = split_pax(data, records); !why.empty()) return fail(why);
  for (const auto& r : records) {
    std::string key(r.key);
    if (auto it = global_pax_.find(key); it != global_pax_.end()) {
      global_pax_bytes_ -= it->first.size() + it->second.size();
      global_pax_.erase(it);
    }
    if (r.value.empty()) continue;
    global_pax_bytes_ += key.size() + r.value.size();
    global_pax_.emplace(std::move(key), std::string(r.value));
  }
  // Each 'g' header is bounded, but many of them could add up; the set is copied into every entry.
  if (global_pax_bytes_ > limits_.max_metadata_bytes) {
    return fail("the pax global headers hold more than the limit of " + std::to_string(limits_.max_metadata_bytes) +
                " bytes of records");
  }
  return {};
}

Result<std::optional<TarEntry>> TarEntryReader::read_entry() {
  if (ended_) return std::nullopt;
  // Whatever the caller left of the previous entry; errors here still name that entry.
  SILO_TRY(skip(data_left_ + padding_left_));
  data_left_ = padding_left_ = 0;
  entry_index_ = entries_;
  entry_offset_ = offset_;

  // What the metadata headers before the entry's own header said.
  std::map<std::string, std::string> local;  // 'x' records; an empty value deletes the key
  std::optional<std::string> long_name, long_link;
  std::uint64_t metadata_bytes = 0;  // of 'x', 'L' and 'K' data for this entry, bounded by the limit
  bool pending = false;              // an 'x', 'L' or 'K' header waits for the entry it describes
  Block block;
  for (;;) {
    auto got = read_block(block);
    if (!got) return got.error();
    const bool zero = *got && std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
    if (pending && (!*got || zero)) {
      return fail("the archive ends after a pax or GNU long-name header, before the entry it describes");
    }
    if (!*got) {  // the stream ends at a block boundary: writers that leave out the zero blocks
      ended_ = true;
      return std::nullopt;
    }
    if (zero) {
      // The end, once the second zero block (or the end of the stream) confirms it. A header after a
      // lone zero block is refused: readers differ on it (libarchive stops, Go fails), so nothing
      // after it may count.
      got = read_block(block);
      if (!got) return got.error();
      if (*got && !std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; })) {
        return fail("a zero block (the end-of-archive mark) is followed by more headers");
      }
      ended_ = true;
      return std::nullopt;
    }

    // The checksum counts its own field as spaces; old writers summed signed chars.
    std::int64_t unsigned_sum = 0;
    std::int64_t signed_sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) {
      char c = (i >= kChecksum.offset && i < kChecksum.offset + kChecksum.size) ? ' ' : block[i];
      unsigned_sum += static_cast<unsigned char>(c);
      signed_sum += static_cast<signed char>(c);
    }
    auto stored = parse_octal(field(block, kChecksum));
    if (!stored || (*stored != unsigned_sum && *stored != signed_sum)) {
      return fail("bad header checksum (stored " + quote(c_string(field(block, kChecksum))) + ", computed " +
                  std::to_string(unsigned_sum) + "): the archive is damaged or not an uncompressed tar");
    }

    auto number = [&](Field f) -> Result<std::int64_t> {
      if (auto value = parse_number(field(block, f))) return *value;
      return fail("the header's " + std::string(f.name) + " field " + quote(c_string(field(block, f))) +
                  " is not a valid octal or base-256 number");
    };
    auto stored_size = number(kSize);
    if (!stored_size) return stored_size.error();
    if (*stored_size < 0) return fail("the header's size field is negative");
    auto size = static_cast<std::uint64_t>(*stored_size);

    const char typeflag = block[kTypeflag];
    if (typeflag == 'x' || typeflag == 'g' || typeflag == 'L' || typeflag == 'K') {
      const char* what = typeflag == 'x'   ? "pax header"
                         : typeflag == 'g' ? "pax global header"
                         : typeflag == 'L' ? "GNU long name"
                                           : "GNU long link name";
      // Checked before reading, so nothing is allocated for a hostile size.
      const std::uint64_t used = typeflag == 'g' ? 0 : metadata_bytes;
      if (size > limits_.max_metadata_bytes - used) {
        return fail(std::string("the ") + what + " holds " + std::to_string(size) + " bytes" +
                    (used ? " and the entry's earlier metadata " + std::to_string(used) + ", together" : "") +
                    " over the limit of " + std::to_string(limits_.max_metadata_bytes) + " bytes for metadata");
      }
      auto data = read_metadata(size, what);
      if (!data) return data.error();
      if (typeflag == 'g') {
        SILO_TRY(add_global(*data));
        continue;
      }
      metadata_bytes += size;
      pending = true;
      if (typeflag == 'x') {
        std::vector<PaxRecord> records;
        if (auto why = split_pax(*data, records); !why.empty()) return fail(why);
        for (const auto& r : records) local[std::string(r.key)] = std::string(r.value);
      } else {
        (typeflag == 'L' ? long_name : long_link) = c_string(*data);  // GNU ends them with a NUL
      }
      continue;
    }

    // The entry's own header.
    TarEntry entry;
    entry.typeflag = typeflag;
    entry.type = type_of(typeflag);
    const bool ustar = std::memcmp(block.data() + 257, "ustar\0", 6) == 0;
    const bool gnu = std::memcmp(block.data() + 257, "ustar  \0", 8) == 0;  // its prefix area holds other things
    entry.name = c_string(field(block, kName));
    if (auto prefix = c_string(field(block, kPrefix)); ustar && !prefix.empty()) entry.name = prefix + "/" + entry.name;
    if (long_name) entry.name = *long_name;
    entry.link_name = long_link ? *long_link : c_string(field(block, kLinkname));

    auto mode = number(kMode);
    auto uid = number(kUid);
    auto gid = number(kGid);
    auto mtime = number(kMtime);
    for (auto* r : {&mode, &uid, &gid, &mtime}) {
      if (!*r) return r->error();
    }
    if (*mode < 0) return fail("the header's mode field is negative");
    entry.mode = static_cast<std::uint32_t>(*mode & 07777);  // some writers add the file-type bits
    entry.uid = *uid;
    entry.gid = *gid;
    entry.mtime_seconds = *mtime;
    if (ustar || gnu) {  // v7 headers have no device fields
      for (auto [f, out] : {std::pair{kDevMajor, &entry.device_major}, std::pair{kDevMinor, &entry.device_minor}}) {
        auto device = number(f);
        if (!device) return device.error();
        if (*device < 0 || *device > std::numeric_limits<std::uint32_t>::max()) {
          return fail("the header's " + std::string(f.name) + " field is out of range");
        }
        *out = static_cast<std::uint32_t>(*device);
      }
    }

    // pax records: the global set, overlaid by this entry's own.
    entry.pax = global_pax_;
    for (auto& [key, value] : local) {
      if (value.empty()) {
        entry.pax.erase(key);
      } else {
        entry.pax[key] = std::move(value);
      }
    }
    auto pax = [&](const char* key) -> const std::string* {
      auto it = entry.pax.find(key);
      return it == entry.pax.end() ? nullptr : &it->second;
    };
    auto pax_number = [&](const char* key, bool allow_negative) -> Result<std::optional<std::int64_t>> {
      const std::string* value = pax(key);
      if (!value) return std::nullopt;
      if (auto parsed = parse_pax_decimal(*value, allow_negative)) return parsed;
      return fail("pax record " + std::string(key) + "=" + quote(*value) + " is not a valid decimal number");
    };
    if (auto* path = pax("path")) entry.name = *path;
    if (auto* linkpath = pax("linkpath")) entry.link_name = *linkpath;
    auto pax_size = pax_number("size", false);
    auto pax_uid = pax_number("uid", true);
    auto pax_gid = pax_number("gid", true);
    for (auto* r : {&pax_size, &pax_uid, &pax_gid}) {
      if (!*r) return r->error();
    }
    if (*pax_size) size = static_cast<std::uint64_t>(**pax_size);
    if (*pax_uid) entry.uid = **pax_uid;
    if (*pax_gid) entry.gid = **pax_gid;
    if (auto* value = pax("mtime"); value && !parse_pax_time(*value, entry.mtime_seconds, entry.mtime_nanoseconds)) {
      return fail("pax record mtime=" + quote(*value) + " is not a valid time (seconds[.fraction])");
    }

    // Old tars marked directories with a trailing slash on a '\0' entry (Go reads them so too).
    if (typeflag == '\0' && !entry.name.empty() && entry.name.back() == '/') entry.type = TarEntryType::directory;
    // POSIX stores no data for symlinks, devices, directories and FIFOs whatever their size field
    // says (Go, libarchive and GNU tar agree). A hard link may carry data (pax), so it keeps its size.
    switch (entry.type) {
      case TarEntryType::symlink:
      case TarEntryType::char_device:
      case TarEntryType::block_device:
      case TarEntryType::directory:
      case TarEntryType::fifo:
        size = 0;
        break;
      default:
        break;
    }
    entry.size = size;

    if (entry.name.size() > limits_.max_name_bytes) {
      return fail("the name is longer than " + std::to_string(limits_.max_name_bytes) + " bytes (" +
                  std::to_string(entry.name.size()) + ")");
    }
    if (entry.link_name.size() > limits_.max_name_bytes) {
      return fail("the link name is longer than " + std::to_string(limits_.max_name_bytes) + " bytes (" +
                  std::to_string(entry.link_name.size()) + ")");
    }

    data_left_ = size;
    padding_left_ = (kBlock - size % kBlock) % kBlock;
    ++entries_;
    return std::optional<TarEntry>(std::move(entry));
  }
}

}  // namespace silo::layers
