// Builds tar streams byte by byte in tests, so hostile archives (names with "..", absolute names,
// links out, devices, lying sizes) can be written exactly as an attacker would.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

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
  };

  TarBuilder& add(const Entry& entry) {
    char header[512] = {};
    std::string name = entry.name;
    if (name.size() > 99) long_name(name);
    std::memcpy(header, name.data(), std::min<std::size_t>(name.size(), 99));
    octal(header + 100, 8, entry.mode);
    octal(header + 108, 8, entry.uid);
    octal(header + 116, 8, entry.gid);
    octal(header + 124, 12, entry.claimed_size != UINT64_MAX ? entry.claimed_size : entry.data.size());
    octal(header + 136, 12, static_cast<std::uint64_t>(entry.mtime));
    header[156] = entry.type;
    std::memcpy(header + 157, entry.link.data(), std::min<std::size_t>(entry.link.size(), 99));
    std::memcpy(header + 257, "ustar\0" "00", 8);
    std::memset(header + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : header) sum += c;
    std::snprintf(header + 148, 8, "%06o", sum);
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

  // The archive with its two zero end blocks.
  std::string finish() const { return bytes_ + std::string(1024, '\0'); }
  // Cut in the middle of the last entry: what a client that hangs up leaves.
  std::string truncated(std::size_t drop) const { return bytes_.substr(0, bytes_.size() - drop); }

 private:
  void long_name(const std::string& name) {
    Entry gnu{.name = "././@LongLink", .type = 'L', .data = name + std::string(1, '\0')};
    add(gnu);
  }
  static void octal(char* field, std::size_t width, std::uint64_t value) {
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
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
