// Builds tar streams byte by byte in tests, so hostile archives (names with "..", absolute names,
// links out, devices, lying sizes) can be written exactly as an attacker would.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

namespace silo::layers::testing {

class TarBuilder {
 public:
  struct Entry {
    std::string name;
    char type = '0';  // '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo
    std::string data;
    std::string link;
    unsigned mode = 0644;
    unsigned uid = 0;
    unsigned gid = 0;
    long long mtime = 1'600'000'000;
    std::uint64_t claimed_size = UINT64_MAX;  // header size when it should differ from data.size()
    std::string prefix = {};                  // the ustar prefix field, written as given
    std::string magic = std::string("ustar\0" "00", 8);  // kV7 or kGnu for those forms
  };
  static inline const std::string kV7 = std::string(8, '\0');          // no magic
  static inline const std::string kGnu = std::string("ustar  \0", 8);  // GNU's magic and version

  TarBuilder& add(const Entry& entry) {
    char header[512] = {};
    std::string name = entry.name;
    if (name.size() > 99) long_name(name);
    std::memcpy(header, name.data(), std::min<std::size_t>(name.size(), 99));
    octal(header + 100, 8, entry.mode);
    octal(header + 108, 8, entry.uid);
    octal(header + 116, 8, entry.gid);
    octal(header + 124, 12, entry.claimed_size != UINT64_MAX ? entry.claimed_size : entry.data.size());
    if (entry.mtime < 0) {
      base256(header + 136, 12, entry.mtime);  // what GNU tar writes for times before 1970
    } else {
      octal(header + 136, 12, static_cast<std::uint64_t>(entry.mtime));
    }
    header[156] = entry.type;
    std::memcpy(header + 157, entry.link.data(), std::min<std::size_t>(entry.link.size(), 99));
    std::memcpy(header + 257, entry.magic.data(), std::min<std::size_t>(entry.magic.size(), 8));
    std::memcpy(header + 345, entry.prefix.data(), std::min<std::size_t>(entry.prefix.size(), 155));
    seal(header);
    bytes_.append(header, 512);
    bytes_ += entry.data;
    bytes_.append((512 - entry.data.size() % 512) % 512, '\0');
    return *this;
  }
  TarBuilder& file(const std::string& name, const std::string& data, unsigned mode = 0644) {
    return add({.name = name, .type = '0', .data = data, .mode = mode});
  }
  TarBuilder& dir(const std::string& name, unsigned mode = 0755) { return add({.name = name, .type = '5', .mode = mode}); }
  TarBuilder& symlink(const std::string& name, const std::string& target) {
    return add({.name = name, .type = '2', .link = target, .mode = 0777});
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target) {
    return add({.name = name, .type = '1', .link = target});
  }

  // A pax extended header whose records apply to the next entry ('x') or to all later ones ('g').
  TarBuilder& pax(const std::map<std::string, std::string>& records, char type = 'x') {
    std::string data;
    for (const auto& [key, value] : records) data += pax_record(key, value);
    return add({.name = "PaxHeaders/entry", .type = type, .data = data});
  }
  // "<length> key=value\n", where the length counts itself.
  static std::string pax_record(const std::string& key, const std::string& value) {
    const std::string body = " " + key + "=" + value + "\n";
    std::size_t length = body.size() + 1;
    while (std::to_string(length).size() + body.size() != length) ++length;
    return std::to_string(length) + body;
  }

  // Overwrites bytes of the header at header_offset in an archive and fixes its checksum, so one
  // field can be made bad (or set to what add() does not write) while the header stays valid.
  static void rewrite(std::string& tar, std::size_t header_offset, std::size_t field_offset, std::string_view bytes) {
    std::memcpy(tar.data() + header_offset + field_offset, bytes.data(), bytes.size());
    seal(tar.data() + header_offset);
  }

  // The archive with its two zero end blocks.
  std::string finish() const { return bytes_ + std::string(1024, '\0'); }
  // Cut in the middle of the last entry: what a client that hangs up leaves.
  std::string truncated(std::size_t drop) const { return bytes_.substr(0, bytes_.size() - drop); }

 private:
  void long_name(const std::string& name) {
    Entry gnu{.name = "././@LongLink", .type = 'L', .data = name + std::string(1, '\0')};
    add(gnu);
  }
  // Zero-padded octal and a NUL, or base-256 (as GNU tar does) when the value needs more digits.
  // Written by hand: GCC 12 at -O2 warns that snprintf("%0*llo") may truncate.
  static void octal(char* field, std::size_t width, std::uint64_t value) {
    if (value >> (3 * (width - 1))) return base256(field, width, static_cast<long long>(value));
    field[width - 1] = '\0';
    for (std::size_t i = width - 1; i-- > 0; value >>= 3) field[i] = static_cast<char>('0' + (value & 7));
  }
  // GNU base-256: the first byte 0x80 (or 0xff when negative), then big-endian two's complement.
  static void base256(char* field, std::size_t width, long long value) {
    const bool negative = value < 0;
    for (std::size_t i = width; i-- > 0; value >>= 8) field[i] = static_cast<char>(value & 0xff);  // >> keeps the sign
    field[0] = static_cast<char>(negative ? 0xff : 0x80);
  }
  // The checksum: the header's bytes summed with its own field counted as spaces.
  static void seal(char* header) {
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; ++i) sum += static_cast<unsigned char>(header[i]);
    std::snprintf(header + 148, 8, "%06o", sum);
  }

  std::string bytes_;
};

inline std::string gzip(const std::string& plain) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, plain.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace silo::layers::testing
