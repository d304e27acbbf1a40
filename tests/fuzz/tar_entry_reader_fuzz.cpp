// Fuzzes silo's own tar reader alone: arbitrary bytes are read entry by entry under small limits,
// once from memory and once a byte per read. Besides crashes and sanitizer reports, a finding is a
// broken promise of the reader: data that does not add up to the entry's size, a name over the
// limit, an error that is not invalid_argument, an offset past the input, an end or an error that
// does not stay put, or the two reads disagreeing.
#include "storage/layers/tar_entry_reader.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

namespace {

using silo::layers::ByteSource;
using silo::layers::TarEntryReader;

constexpr silo::layers::TarReaderLimits kLimits{.max_metadata_bytes = 4096, .max_name_bytes = 256};

class TrickleSource final : public ByteSource {
 public:
  explicit TrickleSource(std::span<const char> data) : data_(data) {}
  silo::Result<std::size_t> read(std::span<char> out) override {
    if (data_.empty() || out.empty()) return std::size_t{0};
    out[0] = data_[0];
    data_ = data_.subspan(1);
    return std::size_t{1};
  }

 private:
  std::span<const char> data_;
};

void check(bool ok) {
  if (!ok) std::abort();
}

// What a reader made of the input, as text to compare between sources.
std::string read_all(ByteSource& source, std::size_t input_size) {
  TarEntryReader reader(source, kLimits);
  std::string seen;
  std::array<char, 1000> buffer;
  for (int entries = 0; entries < 10'000; ++entries) {
    auto next = reader.next();
    check(reader.offset() <= input_size);
    if (!next) {
      check(next.error().code == silo::Errc::invalid_argument);
      auto again = reader.next();
      check(!again && again.error().message == next.error().message);
      return seen + "error: " + next.error().message;
    }
    if (!*next) {
      auto again = reader.next();
      check(again && !*again);
      return seen + "end at " + std::to_string(reader.offset());
    }
    const auto& entry = **next;
    check(entry.name.size() <= kLimits.max_name_bytes && entry.link_name.size() <= kLimits.max_name_bytes);
    check(entry.mtime_nanoseconds < 1'000'000'000);
    seen += entry.name + "|" + entry.link_name + "|" + std::to_string(entry.size) + "|" + entry.typeflag + "\n";
    // Read about half of the entries' data, so next() skips the rest of the others.
    if (entries % 2 == 1) continue;
    std::uint64_t got = 0;
    for (;;) {
      auto n = reader.read_data(std::span(buffer).first(1 + entries % buffer.size()));
      if (!n) return seen + "error: " + n.error().message;
      if (*n == 0) break;
      for (std::size_t i = 0; i < *n; ++i) seen += buffer[i];
      got += *n;
    }
    check(got == entry.size);
  }
  return seen + "stopped";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const char> bytes(reinterpret_cast<const char*>(data), size);
  silo::layers::MemorySource memory(bytes);
  std::string whole = read_all(memory, size);
  if (size <= 16 * 1024) {  // a byte per read is slow; the small inputs are where the edges are
    TrickleSource trickle(bytes);
    check(read_all(trickle, size) == whole);
  }
  return 0;
}
