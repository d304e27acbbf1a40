// silo's own tar reader (the Windows layer import's), on Linux and under Wine: what each header form
// means, pax records, the end of an archive, and an error naming the entry and what is wrong for
// every malformed input. Every archive is read twice, from memory and one byte per read, and both
// must agree.
#include "storage/layers/tar_entry_reader.h"

#include "tests/unit/layers/tar_builder.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

namespace silo::layers {
namespace {

using testing::TarBuilder;

// Hands out one byte per read: the reader must never assume a block arrives whole.
class TrickleSource final : public ByteSource {
 public:
  explicit TrickleSource(std::string_view data) : data_(data) {}
  Result<std::size_t> read(std::span<char> out) override {
    if (data_.empty() || out.empty()) return std::size_t{0};
    out[0] = data_[0];
    data_.remove_prefix(1);
    return std::size_t{1};
  }

 private:
  std::string_view data_;
};

class FailingSource final : public ByteSource {
 public:
  Result<std::size_t> read(std::span<char>) override { return make_error(Errc::unavailable, "the upload was cut"); }
};

struct Read {
  std::vector<TarEntry> entries;
  std::vector<std::string> data;
  std::optional<Error> error;
  std::uint64_t offset = 0;  // reader.offset() at the end
};

Read read_from(ByteSource& source, TarReaderLimits limits) {
  TarEntryReader reader(source, limits);
  Read out;
  for (int guard = 0; guard < 1000; ++guard) {
    auto next = reader.next();
    if (!next || !*next) {
      if (!next) out.error = next.error();
      out.offset = reader.offset();
      return out;
    }
    std::string data;
    std::array<char, 7> piece{};  // small pieces on purpose
    for (;;) {
      auto n = reader.read_data(piece);
      if (!n) {
        out.error = n.error();
        out.offset = reader.offset();
        return out;
      }
      if (*n == 0) break;
      data.append(piece.data(), *n);
    }
    out.entries.push_back(**next);
    out.data.push_back(data);
  }
  ADD_FAILURE() << "more than 1000 entries";
  return out;
}

Read read_all(const std::string& tar, TarReaderLimits limits = {}) {
  MemorySource memory(tar);
  Read whole = read_from(memory, limits);
  TrickleSource trickle(tar);
  Read bytewise = read_from(trickle, limits);
  EXPECT_EQ(whole.error.has_value(), bytewise.error.has_value());
  if (whole.error && bytewise.error) {
    EXPECT_EQ(whole.error->message, bytewise.error->message);
  }
  EXPECT_EQ(whole.data, bytewise.data) << "one byte per read gave different data";
  EXPECT_EQ(whole.offset, bytewise.offset);
  return whole;
}

std::string error_of(const std::string& tar, TarReaderLimits limits = {}) {
  auto read = read_all(tar, limits);
  if (!read.error) return "(no error)";
  EXPECT_EQ(read.error->code, Errc::invalid_argument) << read.error->message;
  return read.error->message;
}

// Overwrites bytes of the header at `header` and recomputes its checksum, so exactly one field is off.
void patch(std::string& tar, std::size_t header, std::size_t field, std::string_view bytes) {
  TarBuilder::rewrite(tar, header, field, bytes);
}

// GNU base-256: the high bit of the first byte, then big-endian two's complement.
std::string base256(long long value, std::size_t width) {
  std::string out(width, '\0');
  const bool negative = value < 0;
  for (std::size_t i = width; i-- > 0; value >>= 8)
    out[i] = static_cast<char>(value & 0xff);  // C++20: >> keeps the sign
  out[0] = static_cast<char>(negative ? 0xff : 0x80);
  return out;
}

std::string record(const std::string& key, const std::string& value) {
  return TarBuilder::pax_record(key, value);
}

// A pax header whose data is given as is (for malformed records), then a file.
std::string with_pax_data(const std::string& data, char type = 'x') {
  return TarBuilder().add({.name = "PaxHeaders/f", .type = type, .data = data}).file("f", "").finish();
}

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

TEST(TarEntryReader, UstarEntriesCarryTheirTypeNameAndFields) {
  TarBuilder tar;
  tar.dir("etc/")
      .file("etc/hosts", "127.0.0.1 localhost\n", 04750)
      .symlink("etc/link", "hosts")
      .hardlink("etc/hard", "etc/hosts");
  tar.add({.name = "dev/null", .type = '3'}).add({.name = "dev/sda", .type = '4'}).add({.name = "pipe", .type = '6'});
  tar.add({.name = "odd", .type = 'Z', .data = "zz"});
  tar.add({.name = "owned", .data = "x", .mode = 0100644, .uid = 1000, .gid = 50, .mtime = 1'234'567'890});
  std::string bytes = tar.finish();
  // Device numbers, which add() leaves empty: the devices' headers follow the directory (512 bytes),
  // the file (512 + 512), the symlink and the hard link (512 each).
  patch(bytes, 2560, 329, "0000001");
  patch(bytes, 2560, 337, "0000003");
  patch(bytes, 3072, 329, "0000010");
  patch(bytes, 3072, 337, "0000001");

  auto read = read_all(bytes);
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 9u);
  const auto& e = read.entries;
  EXPECT_EQ(e[0].type, TarEntryType::directory);
  EXPECT_EQ(e[0].name, "etc/");
  EXPECT_EQ(e[0].mode, 0755u);
  EXPECT_EQ(e[1].type, TarEntryType::file);
  EXPECT_EQ(e[1].typeflag, '0');
  EXPECT_EQ(e[1].mode, 04750u) << "setuid and the permission bits";
  EXPECT_EQ(e[1].size, 20u);
  EXPECT_EQ(read.data[1], "127.0.0.1 localhost\n");
  EXPECT_EQ(e[2].type, TarEntryType::symlink);
  EXPECT_EQ(e[2].link_name, "hosts");
  EXPECT_EQ(e[3].type, TarEntryType::hardlink);
  EXPECT_EQ(e[3].link_name, "etc/hosts");
  EXPECT_EQ(e[4].type, TarEntryType::char_device);
  EXPECT_EQ(e[4].device_major, 1u);
  EXPECT_EQ(e[4].device_minor, 3u);
  EXPECT_EQ(e[5].type, TarEntryType::block_device);
  EXPECT_EQ(e[5].device_major, 8u);
  EXPECT_EQ(e[5].device_minor, 1u);
  EXPECT_EQ(e[6].type, TarEntryType::fifo);
  EXPECT_EQ(e[7].type, TarEntryType::other) << "unknown types are the caller's to judge";
  EXPECT_EQ(e[7].typeflag, 'Z');
  EXPECT_EQ(read.data[7], "zz") << "an unknown type's data is still there to read";
  EXPECT_EQ(e[8].mode, 0644u) << "file-type bits some writers add are dropped";
  EXPECT_EQ(e[8].uid, 1000);
  EXPECT_EQ(e[8].gid, 50);
  EXPECT_EQ(e[8].mtime_seconds, 1'234'567'890);
  EXPECT_EQ(e[8].mtime_nanoseconds, 0u);
  EXPECT_TRUE(e[8].pax.empty());
}

TEST(TarEntryReader, V7HeadersAndTheirTrailingSlashDirectories) {
  TarBuilder tar;
  tar.add({.name = "old/", .type = '\0', .magic = TarBuilder::kV7});
  tar.add({.name = "old/f", .type = '\0', .data = "v7", .magic = TarBuilder::kV7});
  const std::string bytes = tar.finish();
  auto read = read_all(bytes);
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].type, TarEntryType::directory) << "'\\0' with a trailing slash is an old-style directory";
  EXPECT_EQ(read.entries[0].typeflag, '\0');
  EXPECT_EQ(read.entries[1].type, TarEntryType::file);
  EXPECT_EQ(read.data[1], "v7");
}

TEST(TarEntryReader, UstarPrefixIsJoinedButNotInGnuHeaders) {
  std::string ustar = TarBuilder().add({.name = "name.txt", .data = "p", .prefix = "some/deep/prefix"}).finish();
  auto read = read_all(ustar);
  ASSERT_FALSE(read.error) << read.error->message;
  EXPECT_EQ(read.entries[0].name, "some/deep/prefix/name.txt");
  EXPECT_EQ(read.data[0], "p");

  // GNU headers keep atime and ctime where ustar has the prefix; they are not part of the name.
  std::string gnu = TarBuilder().add({.name = "name.txt", .prefix = "13372741000", .magic = TarBuilder::kGnu}).finish();
  auto read_gnu = read_all(gnu);
  ASSERT_FALSE(read_gnu.error) << read_gnu.error->message;
  EXPECT_EQ(read_gnu.entries[0].name, "name.txt");
}

TEST(TarEntryReader, GnuLongNamesAndLongLinksGiveTheFullNames) {
  const std::string long_name = "Files/" + std::string(150, 'n') + "/leaf.txt";
  const std::string long_target = "Files/" + std::string(200, 't');
  TarBuilder tar;
  tar.file(long_name, "data");  // TarBuilder writes names over 99 bytes as a GNU 'L' entry
  tar.add({.name = "././@LongLink", .type = 'K', .data = long_target + '\0', .magic = TarBuilder::kGnu});
  tar.symlink("short-link", long_target.substr(0, 99));
  tar.file("after", "z");
  auto read = read_all(tar.finish());
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 3u) << "the 'L' and 'K' entries are not entries of their own";
  EXPECT_EQ(read.entries[0].name, long_name);
  EXPECT_EQ(read.data[0], "data");
  EXPECT_EQ(read.entries[1].name, "short-link");
  EXPECT_EQ(read.entries[1].link_name, long_target);
  EXPECT_EQ(read.entries[2].name, "after") << "a long name applies to one entry";
  EXPECT_EQ(read.entries[2].link_name, "");
}

TEST(TarEntryReader, PaxRecordsOverrideTheHeaderForOneEntryAndAreKept) {
  TarBuilder tar;
  tar.pax({{"path", "Files/a name with ünïcode"},
           {"mtime", "1600000000.25"},
           {"uid", "4294967296"},
           {"gid", "70000"},
           {"size", "3"},
           {"SCHILY.xattr.user.x", "v"}});
  tar.add({.name = "short", .data = "abc", .claimed_size = 0});  // the header's size is 0, pax's is 3
  tar.pax({{"linkpath", "Files/target"}}).symlink("l", "t");
  tar.add({.name = std::string(150, 'L')});                              // a GNU long name ...
  tar.pax({{"path", "pax-wins"}}).add({.name = std::string(150, 'L')});  // ... loses to a pax path
  tar.file("plain", "z");
  auto read = read_all(tar.finish());
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 5u);
  const auto& first = read.entries[0];
  EXPECT_EQ(first.name, "Files/a name with ünïcode");
  EXPECT_EQ(first.mtime_seconds, 1'600'000'000);
  EXPECT_EQ(first.mtime_nanoseconds, 250'000'000u);
  EXPECT_EQ(first.uid, 4294967296LL);
  EXPECT_EQ(first.gid, 70000);
  EXPECT_EQ(first.size, 3u);
  EXPECT_EQ(read.data[0], "abc");
  EXPECT_EQ(first.pax.at("SCHILY.xattr.user.x"), "v");
  EXPECT_EQ(first.pax.at("path"), "Files/a name with ünïcode") << "the records themselves are kept too";
  EXPECT_EQ(read.entries[1].link_name, "Files/target");
  EXPECT_EQ(read.entries[1].name, "l");
  EXPECT_FALSE(read.entries[1].pax.contains("SCHILY.xattr.user.x")) << "local records apply to one entry only";
  EXPECT_EQ(read.entries[3].name, "pax-wins");
  EXPECT_EQ(read.entries[4].name, "plain");
  EXPECT_TRUE(read.entries[4].pax.empty());
  EXPECT_EQ(read.data[4], "z");
}

TEST(TarEntryReader, PaxTimesKeepTheirFractionAndSign) {
  const std::vector<std::tuple<std::string, std::int64_t, std::uint32_t>> cases = {
      {"1600000000", 1'600'000'000, 0},              // no fraction
      {"1600000000.5", 1'600'000'000, 500'000'000},  // half a second
      {"1.123456789999", 1, 123'456'789},            // past nanoseconds: dropped
      {"-1.25", -2, 750'000'000},                    // -2 s + 0.75 s, as a timespec holds it
      {"-0.5", -1, 500'000'000},                     // "-0" seconds: the sign is in the text
      {"-86400", -86'400, 0},                        // a day before 1970
  };
  for (const auto& [text, seconds, nanoseconds] : cases) {
    auto read = read_all(TarBuilder().pax({{"mtime", text}}).file("f", "").finish());
    ASSERT_FALSE(read.error) << text << ": " << read.error->message;
    EXPECT_EQ(read.entries[0].mtime_seconds, seconds) << text;
    EXPECT_EQ(read.entries[0].mtime_nanoseconds, nanoseconds) << text;
  }
  // A negative mtime without pax: GNU tar writes it in base-256.
  auto old = read_all(TarBuilder().add({.name = "f", .mtime = -1000}).finish());
  ASSERT_FALSE(old.error) << old.error->message;
  EXPECT_EQ(old.entries[0].mtime_seconds, -1000);
}

TEST(TarEntryReader, GlobalPaxRecordsApplyToEveryLaterEntryUnlessOverriddenOrDeleted) {
  TarBuilder tar;
  tar.file("before", "");
  tar.pax({{"comment", "global"}, {"uname", "builder"}, {"uid", "7"}}, 'g');
  tar.file("a", "");
  tar.pax({{"comment", "local"}, {"uname", ""}, {"uid", ""}}).file("b", "");  // an empty value deletes the key
  tar.file("c", "");
  tar.pax({{"comment", ""}}, 'g');  // deleted for good
  tar.file("d", "");
  auto read = read_all(tar.finish());
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 5u) << "global headers are not entries";
  EXPECT_TRUE(read.entries[0].pax.empty()) << "a global header applies to entries after it only";
  EXPECT_EQ(read.entries[1].pax.at("comment"), "global");
  EXPECT_EQ(read.entries[1].uid, 7) << "global uid overrides the header";
  EXPECT_EQ(read.entries[2].pax.at("comment"), "local");
  EXPECT_FALSE(read.entries[2].pax.contains("uname"));
  EXPECT_EQ(read.entries[2].uid, 0) << "a deleted uid falls back to the header";
  EXPECT_EQ(read.entries[3].pax.at("comment"), "global");
  EXPECT_EQ(read.entries[3].pax.at("uname"), "builder");
  EXPECT_FALSE(read.entries[4].pax.contains("comment"));
  EXPECT_EQ(read.entries[4].pax.at("uname"), "builder");
}

TEST(TarEntryReader, WindowsLayerRecordsAreKeptVerbatim) {
  // What Go's archive/tar writes for a Windows layer: a base64 security descriptor and attributes.
  const std::string rawsd =
      "AQAEgBQAAAAkAAAAAAAAADAAAAABAgAAAAAABSAAAAAgAgAAAQEAAAAAAAUSAAAAAgAcAAEAAAAAABQA/wEfAAEBAAAAAAAFEgAAAA==";
  TarBuilder tar;
  tar.pax({{"MSWINDOWS.rawsd", rawsd}, {"MSWINDOWS.fileattr", "32"}, {"LIBARCHIVE.creationtime", "1500000000.5"}});
  tar.file("Files/readme.txt", "windows layer\r\n");
  // Values are length-delimited: '=' and newlines inside them are data.
  tar.pax({{"MSWINDOWS.xattr.note", std::string("a=b\nc\0d", 7)}}).file("Files/odd", "");
  auto read = read_all(tar.finish());
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].pax.at("MSWINDOWS.rawsd"), rawsd);
  EXPECT_EQ(read.entries[0].pax.at("MSWINDOWS.fileattr"), "32");
  EXPECT_EQ(read.entries[0].pax.at("LIBARCHIVE.creationtime"), "1500000000.5");
  EXPECT_EQ(read.data[0], "windows layer\r\n");
  EXPECT_EQ(read.entries[1].pax.at("MSWINDOWS.xattr.note"), std::string("a=b\nc\0d", 7));
}

TEST(TarEntryReader, Base256NumbersAreRead) {
  std::string bytes = TarBuilder().add({.name = "big", .data = "xy", .uid = 1}).finish();
  patch(bytes, 0, 124, base256(2, 12));                  // size
  patch(bytes, 0, 108, base256(4'000'000'000LL, 8));     // uid past octal's 2097151
  patch(bytes, 0, 136, base256(-62'135'596'800LL, 12));  // mtime: year 1
  auto read = read_all(bytes);
  ASSERT_FALSE(read.error) << read.error->message;
  EXPECT_EQ(read.entries[0].size, 2u);
  EXPECT_EQ(read.data[0], "xy");
  EXPECT_EQ(read.entries[0].uid, 4'000'000'000LL);
  EXPECT_EQ(read.entries[0].mtime_seconds, -62'135'596'800LL);

  std::string negative_size = TarBuilder().file("f", "").finish();
  patch(negative_size, 0, 124, base256(-5, 12));
  EXPECT_HAS(error_of(negative_size), "size field is negative");

  std::string too_big = TarBuilder().file("f", "").finish();
  patch(too_big, 0, 124, std::string("\x80\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 12));
  EXPECT_HAS(error_of(too_big), "size field");
}

TEST(TarEntryReader, DataComesInAsSmallPiecesAsTheCallerAsks) {
  std::string content;
  for (int i = 0; i < 1500; ++i) content += static_cast<char>('a' + i % 26);
  const std::string bytes = TarBuilder().file("big", content).file("next", "n").finish();
  TrickleSource source(bytes);
  TarEntryReader reader(source);
  auto entry = reader.next();
  ASSERT_TRUE(entry && *entry);
  std::string got;
  std::array<char, 1> one{};
  for (int guard = 0; guard < 10'000; ++guard) {
    auto n = reader.read_data(one);
    ASSERT_TRUE(n) << n.error().message;
    if (*n == 0) break;
    got += one[0];
  }
  EXPECT_EQ(got, content);
  EXPECT_EQ(*reader.read_data(one), 0u) << "and 0 again once all was read";
  auto next = reader.next();
  ASSERT_TRUE(next && *next) << (next ? "end" : next.error().message);
  EXPECT_EQ((*next)->name, "next");
  EXPECT_EQ(reader.offset(), 512u + 1536u + 512u) << "the first entry's padding was skipped";
}

TEST(TarEntryReader, NextSkipsWhateverDataWasLeftUnread) {
  const std::string bytes =
      TarBuilder().file("a", std::string(1000, 'a')).file("b", "bee").file("c", std::string(600, 'c')).finish();
  MemorySource source(bytes);
  TarEntryReader reader(source);
  ASSERT_TRUE(reader.next());
  std::array<char, 10> some{};
  ASSERT_EQ(*reader.read_data(some), 10u);  // a little of a, then nothing of it
  auto b = reader.next();
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->name, "b");
  EXPECT_EQ(reader.offset(), 512u + 1024u + 512u);
  std::array<char, 3> all{};
  ASSERT_EQ(*reader.read_data(all), 3u);
  EXPECT_EQ(std::string(all.data(), 3), "bee");
  auto c = reader.next();  // b's padding only
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->name, "c");
  auto end = reader.next();  // none of c read
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
}

TEST(TarEntryReader, HardLinksKeepTheirDataAndHeaderOnlyTypesHaveNone) {
  // pax lets a hard link carry the file's data; its size is kept and the data is there to read.
  TarBuilder tar;
  tar.add({.name = "hard", .type = '1', .data = "xyz", .link = "target"});
  // POSIX stores no data for directories, symlinks, devices and FIFOs whatever their size field
  // says (Go, libarchive and GNU tar agree): the next header follows right away.
  tar.add({.name = "dir/", .type = '5', .claimed_size = 1024});
  tar.add({.name = "sym", .type = '2', .link = "t", .claimed_size = 600});
  tar.add({.name = "fifo", .type = '6', .claimed_size = 100});
  tar.file("after", "a");
  auto read = read_all(tar.finish());
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 5u);
  EXPECT_EQ(read.entries[0].size, 3u);
  EXPECT_EQ(read.data[0], "xyz");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(read.entries[i].size, 0u) << read.entries[i].name;
    EXPECT_EQ(read.data[i], "") << read.entries[i].name;
  }
  EXPECT_EQ(read.entries[4].name, "after");
  EXPECT_EQ(read.data[4], "a");
}

TEST(TarEntryReader, TheArchiveEndsAtZeroBlocksOrAtABlockBoundary) {
  TarBuilder tar;
  tar.file("a", "hello").dir("d/");
  const std::string body = tar.truncated(0);
  for (const auto& [what, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"two zero blocks", body + std::string(1024, '\0')},
           {"no zero blocks", body},
           {"one zero block", body + std::string(512, '\0')},
           {"a 10 KiB record of zeros", body + std::string(10240 - body.size() % 10240, '\0')}}) {
    auto read = read_all(bytes);
    ASSERT_FALSE(read.error) << what << ": " << read.error->message;
    ASSERT_EQ(read.entries.size(), 2u) << what;
    EXPECT_EQ(read.data[0], "hello") << what;
  }
  // The reader stops at the end mark: what follows two zero blocks is not read.
  auto read = read_all(body + std::string(1024, '\0') + "trailing garbage");
  ASSERT_FALSE(read.error) << read.error->message;
  EXPECT_EQ(read.offset, body.size() + 1024);
  // An empty stream is an empty archive.
  auto empty = read_all("");
  EXPECT_FALSE(empty.error);
  EXPECT_TRUE(empty.entries.empty());
  // The end stays the end.
  MemorySource source(body);
  TarEntryReader reader(source);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(reader.next());
  for (int i = 0; i < 3; ++i) {
    auto end = reader.next();
    ASSERT_TRUE(end);
    EXPECT_FALSE(end->has_value());
  }
}

TEST(TarEntryReader, ALoneZeroBlockBeforeMoreHeadersIsRefused) {
  // libarchive would stop there and Go would fail: nothing after it may count as part of the layer.
  TarBuilder tar;
  tar.file("a", "hello");
  const std::string bytes = tar.truncated(0) + std::string(512, '\0') + TarBuilder().file("hidden", "x").finish();
  auto message = error_of(bytes);
  EXPECT_HAS(message, "tar entry 1 at byte 1024");
  EXPECT_HAS(message, "zero block");
}

TEST(TarEntryReader, TruncatedArchivesAreRefusedNamingTheEntry) {
  TarBuilder tar;
  tar.file("a", "hello").file("b", std::string(700, 'b'));
  const std::string whole = tar.finish();  // a at 0 (data 512..1023), b at 1024 (data 1536..2559)
  auto header = error_of(whole.substr(0, 1024 + 300));
  EXPECT_HAS(header, "tar entry 1 at byte 1024");
  EXPECT_HAS(header, "ends inside a header");
  auto data = error_of(whole.substr(0, 1536 + 100));
  EXPECT_HAS(data, "tar entry 1 at byte 1024");
  EXPECT_HAS(data, "ends inside the entry's data");
  EXPECT_HAS(data, "600 more bytes");
  auto padding = error_of(whole.substr(0, 1536 + 700));  // all of the data, part of the padding
  EXPECT_HAS(padding, "tar entry 1 at byte 1024");
  EXPECT_HAS(padding, "padding");

  const std::string with_pax = TarBuilder().pax({{"comment", std::string(600, 'c')}}).file("f", "").finish();
  EXPECT_HAS(error_of(with_pax.substr(0, 800)), "ends inside the pax header");
  EXPECT_HAS(error_of(with_pax.substr(0, 1300)), "ends inside the pax header");  // in its padding
  EXPECT_HAS(error_of(TarBuilder().pax({{"path", "x"}}).finish()), "before the entry it describes");
  EXPECT_HAS(error_of(TarBuilder().pax({{"path", "x"}}).truncated(0)), "before the entry it describes");
  EXPECT_HAS(error_of(TarBuilder().add({.name = "././@LongLink", .type = 'L', .data = "n"}).finish()),
             "before the entry it describes");
}

TEST(TarEntryReader, HeadersWithABadChecksumAreRefused) {
  TarBuilder tar;
  tar.file("a", "hello").file("b", "x");
  std::string bytes = tar.finish();
  bytes[1024 + 10] = 'x';  // b's name, checksum left as it was
  EXPECT_HAS(error_of(bytes), "tar entry 1 at byte 1024: bad header checksum");
  // What a compressed layer looks like to a tar reader.
  EXPECT_HAS(error_of(std::string("\x1f\x8b\x08\x00", 4) + std::string(508, 'z')),
             "tar entry 0 at byte 0: bad header checksum");
}

TEST(TarEntryReader, ChecksumsSummedOverSignedCharsAreAccepted) {
  // Old tars summed the header as signed chars; a name with bytes over 0x7f tells the sums apart.
  std::string bytes = TarBuilder().file("caf\xc3\xa9", "x").finish();
  std::memset(bytes.data() + 148, ' ', 8);
  int sum = 0;
  for (int i = 0; i < 512; ++i) sum += static_cast<signed char>(bytes[i]);
  std::snprintf(bytes.data() + 148, 8, "%06o", static_cast<unsigned>(sum));
  auto read = read_all(bytes);
  ASSERT_FALSE(read.error) << read.error->message;
  EXPECT_EQ(read.entries[0].name, "caf\xc3\xa9");
}

TEST(TarEntryReader, BadNumbersInTheHeaderAreRefused) {
  const std::string good = TarBuilder().file("a", "hello").finish();
  std::string mode = good;
  patch(mode, 0, 100, "0000698");
  auto message = error_of(mode);
  EXPECT_HAS(message, "tar entry 0 at byte 0");
  EXPECT_HAS(message, "mode field \"0000698\" is not a valid octal");
  std::string size = good;
  patch(size, 0, 124, "0000000012x4");
  EXPECT_HAS(error_of(size), "size field \"0000000012x4\" is not a valid octal");
  std::string inner_space = good;
  patch(inner_space, 0, 108, "00 1750");
  EXPECT_HAS(error_of(inner_space), "uid field");
  // Padding with spaces and NULs on either side, as various writers do, is fine.
  std::string padded = good;
  patch(padded, 0, 100, std::string("  644 \0", 8));
  auto read = read_all(padded);
  ASSERT_FALSE(read.error) << read.error->message;
  EXPECT_EQ(read.entries[0].mode, 0644u);
}

TEST(TarEntryReader, MalformedPaxRecordsAreRefusedQuotingTheRecord) {
  auto length_past_end = error_of(with_pax_data("12 path=x\n"));
  EXPECT_HAS(length_past_end, "tar entry 0 at byte 0: pax record \"12 path=x\\n\" is malformed");
  EXPECT_HAS(length_past_end, "runs past the end");
  EXPECT_HAS(error_of(with_pax_data("8 path=x\n" + record("a", "b"))), "does not end at its newline");
  EXPECT_HAS(error_of(with_pax_data("xx path=x\n")), "does not start with a decimal length");
  EXPECT_HAS(error_of(with_pax_data("-5 a=\n")), "does not start with a decimal length");
  EXPECT_HAS(error_of(with_pax_data("99999999999999999999 a=b\n")), "runs past the end");
  EXPECT_HAS(error_of(with_pax_data("no-space-at-all")), "does not start with a decimal length");
  EXPECT_HAS(error_of(with_pax_data("8 pathx\n")), "has no '='");
  EXPECT_HAS(error_of(with_pax_data("5 =x\n")), "key is empty");
  EXPECT_HAS(error_of(with_pax_data(record("path", std::string("a\0b", 3)))), "contains a NUL byte");
  EXPECT_HAS(error_of(with_pax_data("8 path=x\n" + record("a", "b"), 'g')), "does not end at its newline");  // 'g' too
  // Values that must be numbers.
  EXPECT_HAS(error_of(with_pax_data(record("size", "12a"))), "pax record size=\"12a\" is not a valid decimal number");
  EXPECT_HAS(error_of(with_pax_data(record("size", "-1"))), "size=\"-1\"");
  EXPECT_HAS(error_of(with_pax_data(record("size", "99999999999999999999"))), "size=");
  EXPECT_HAS(error_of(with_pax_data(record("uid", "1.5"))), "uid=\"1.5\"");
  EXPECT_HAS(error_of(with_pax_data(record("gid", "0x10"))), "gid=\"0x10\"");
  EXPECT_HAS(error_of(with_pax_data(record("mtime", "soon"))), "mtime=\"soon\" is not a valid time");
  EXPECT_HAS(error_of(with_pax_data(record("mtime", ".5"))), "mtime=\".5\"");
  EXPECT_HAS(error_of(with_pax_data(record("mtime", "1.5x"))), "mtime=\"1.5x\"");
}

TEST(TarEntryReader, MetadataIsBoundedBeforeItIsRead) {
  const TarReaderLimits small{.max_metadata_bytes = 1024, .max_name_bytes = 4095};
  auto pax = error_of(TarBuilder().pax({{"comment", std::string(2000, 'c')}}).file("f", "").finish(), small);
  EXPECT_HAS(pax, "tar entry 0 at byte 0: the pax header holds 2014 bytes");
  EXPECT_HAS(pax, "over the limit of 1024 bytes");
  auto gnu = error_of(TarBuilder().file(std::string(1500, 'n'), "").finish(), small);
  EXPECT_HAS(gnu, "the GNU long name holds 1501 bytes");
  // Several headers for one entry count together.
  auto together = error_of(
      TarBuilder().pax({{"a", std::string(600, 'a')}}).pax({{"b", std::string(600, 'b')}}).file("f", "").finish(),
      small);
  EXPECT_HAS(together, "together over the limit of 1024");
  // Global records accumulate across headers; replacing one does not add up.
  TarBuilder globals;
  for (const char* key : {"one", "two", "three"}) globals.pax({{key, std::string(400, 'g')}}, 'g');
  EXPECT_HAS(error_of(globals.file("f", "").finish(), small), "pax global headers hold more than the limit of 1024");
  TarBuilder replaced;
  for (int i = 0; i < 5; ++i) replaced.pax({{"same", std::string(400, 'g')}}, 'g');
  EXPECT_FALSE(read_all(replaced.file("f", "").finish(), small).error);
  // A header claiming a terabyte of metadata is refused from its size field, before any allocation.
  std::string huge = with_pax_data(record("a", "b"));
  patch(huge, 0, 124, base256(1LL << 40, 12));
  EXPECT_HAS(error_of(huge), "the pax header holds 1099511627776 bytes");
}

TEST(TarEntryReader, NamesAndLinkNamesAreBoundedHoweverStored) {
  const TarReaderLimits limits{.max_metadata_bytes = 4096, .max_name_bytes = 200};
  auto pax = error_of(TarBuilder().pax({{"path", std::string(300, 'p')}}).file("f", "").finish(), limits);
  EXPECT_HAS(pax, "the name is longer than 200 bytes");
  EXPECT_HAS(error_of(TarBuilder().file(std::string(201, 'n'), "").finish(), limits),
             "the name is longer than 200 bytes");
  const std::string prefixed =
      TarBuilder().add({.name = std::string(99, 'n'), .prefix = std::string(155, 'p')}).finish();
  EXPECT_HAS(error_of(prefixed, {.max_metadata_bytes = 4096, .max_name_bytes = 250}),
             "the name is longer than 250 bytes");
  EXPECT_HAS(error_of(TarBuilder().pax({{"linkpath", std::string(201, 'l')}}).symlink("s", "t").finish(), limits),
             "the link name is longer than 200 bytes");
  auto at_limit = read_all(TarBuilder().pax({{"path", std::string(200, 'p')}}).file("f", "").finish(), limits);
  EXPECT_FALSE(at_limit.error) << "exactly the limit is allowed";
}

TEST(TarEntryReader, AnErrorIsRepeatedByEveryLaterCall) {
  std::string bytes = TarBuilder().file("a", "hello").file("b", "x").finish();
  bytes[1024 + 10] = 'x';
  MemorySource source(bytes);
  TarEntryReader reader(source);
  ASSERT_TRUE(reader.next());
  auto failed = reader.next();
  ASSERT_FALSE(failed);
  for (int i = 0; i < 3; ++i) {
    auto again = reader.next();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message, failed.error().message);
    std::array<char, 4> buffer{};
    auto data = reader.read_data(buffer);
    ASSERT_FALSE(data);
    EXPECT_EQ(data.error().message, failed.error().message);
  }
}

TEST(TarEntryReader, TheSourcesOwnErrorsPassThrough) {
  FailingSource source;
  TarEntryReader reader(source);
  auto next = reader.next();
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, Errc::unavailable) << "not a malformed archive: the stream failed";
  EXPECT_EQ(next.error().message, "the upload was cut");
}

// Archives written by real tools, committed under tests/data/tar/ (see the notes in each test).
std::string data_file(const std::string& name) {
  std::ifstream in(std::string(SILO_TAR_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << SILO_TAR_DATA_DIR << "/" << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TarEntryReaderInterop, GnuTarPaxAndGnuFormatsReadTheSame) {
  // GNU tar 1.34: `tar --format=pax` and `tar --format=gnu` of Files/<120 x d>/hello.txt.
  const std::string deep = "Files/" + std::string(120, 'd') + "/hello.txt";
  for (const char* file : {"gnu-pax.tar", "gnu-longname.tar"}) {
    auto read = read_all(data_file(file));
    ASSERT_FALSE(read.error) << file << ": " << read.error->message;
    ASSERT_EQ(read.entries.size(), 3u) << file;
    EXPECT_EQ(read.entries[0].name, "Files/") << file;
    EXPECT_EQ(read.entries[0].type, TarEntryType::directory) << file;
    EXPECT_EQ(read.entries[2].name, deep) << file;
    EXPECT_EQ(read.entries[2].type, TarEntryType::file) << file;
    EXPECT_EQ(read.entries[2].mode, 0644u) << file;
    EXPECT_EQ(read.data[2], "hi\n") << file;
    EXPECT_EQ(read.entries[2].mtime_seconds, 1'600'000'000) << file;
  }
  auto pax = read_all(data_file("gnu-pax.tar"));
  ASSERT_FALSE(pax.error);
  EXPECT_TRUE(pax.entries[2].pax.contains("atime")) << "GNU tar's pax records are kept";
}

TEST(TarEntryReaderInterop, GnuTarBase256NumbersAndLongLinks) {
  // GNU tar 1.34: `tar --format=gnu -b 1 --numeric-owner --owner=4000000 --group=3000000` of a
  // 150-byte name with mtime -1000 and a symlink to a 120-byte target.
  auto read = read_all(data_file("gnu-base256.tar"));
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 3u);
  EXPECT_EQ(read.entries[1].name, "Files/link");
  EXPECT_EQ(read.entries[1].type, TarEntryType::symlink);
  EXPECT_EQ(read.entries[1].link_name, std::string(120, 't'));
  const auto& file = read.entries[2];
  EXPECT_EQ(file.name, "Files/" + std::string(140, 'n') + ".txt");
  EXPECT_EQ(file.uid, 4'000'000);
  EXPECT_EQ(file.gid, 3'000'000);
  EXPECT_EQ(file.mtime_seconds, -1000);
  EXPECT_EQ(read.data[2], "old\n");
}

TEST(TarEntryReaderInterop, PythonsPaxRecordsForWindowsLayersAreKept) {
  // Python 3.11 tarfile, PAX_FORMAT, pax_headers={'MSWINDOWS.rawsd': ..., 'MSWINDOWS.fileattr': ...}.
  auto read = read_all(data_file("python-windows-pax.tar"));
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 2u);
  EXPECT_EQ(read.entries[0].pax.at("MSWINDOWS.fileattr"), "16");
  EXPECT_EQ(read.entries[1].name, "Files/readme.txt");
  EXPECT_EQ(read.entries[1].pax.at("MSWINDOWS.fileattr"), "32");
  EXPECT_EQ(read.entries[1].pax.at("LIBARCHIVE.creationtime"), "1500000000.5");
  EXPECT_EQ(read.entries[1].pax.at("MSWINDOWS.rawsd"),
            "AQAEgBQAAAAkAAAAAAAAADAAAAABAgAAAAAABSAAAAAgAgAAAQEAAAAAAAUSAAAAAgAcAAEAAAAAABQA/wEfAAEBAAAAAAAFEgAAAA==");
  EXPECT_EQ(read.data[1], "windows layer\r\n");
}

TEST(TarEntryReaderInterop, PythonsGlobalHeaderAppliesToEveryEntry) {
  // Python 3.11 tarfile, PAX_FORMAT with pax_headers on the archive (a 'g' header), an entry that
  // deletes one global record with an empty value, an mtime of 1600000000.75 and a hard link.
  auto read = read_all(data_file("python-global-pax.tar"));
  ASSERT_FALSE(read.error) << read.error->message;
  ASSERT_EQ(read.entries.size(), 3u);
  for (const auto& entry : read.entries) EXPECT_EQ(entry.pax.at("comment"), "built by python") << entry.name;
  EXPECT_EQ(read.entries[0].pax.at("MSWINDOWS.fileattr"), "32");
  const auto& a = read.entries[1];
  EXPECT_FALSE(a.pax.contains("MSWINDOWS.fileattr")) << "deleted for this entry";
  EXPECT_EQ(a.pax.at("MSWINDOWS.rawsd"), "AQAEgBQAAAAkAAAAAAAAADAAAAA=");
  EXPECT_EQ(a.mtime_seconds, 1'600'000'000);
  EXPECT_EQ(a.mtime_nanoseconds, 750'000'000u);
  EXPECT_EQ(read.data[1], "alpha\n");
  EXPECT_EQ(read.entries[2].type, TarEntryType::hardlink);
  EXPECT_EQ(read.entries[2].link_name, "Files/a.txt");
  EXPECT_EQ(read.entries[2].pax.at("MSWINDOWS.fileattr"), "32") << "the global record again";
}

}  // namespace
}  // namespace silo::layers
