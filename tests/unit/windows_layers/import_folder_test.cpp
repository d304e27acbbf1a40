// A Windows layer tar becomes HCS's import folder: the bytes of every staged file (attributes,
// then the backup stream) are checked against the format hcsshim's legacy layer writer produces,
// with the expected headers spelled out byte by byte here rather than built by silo's encoder.
#include "storage/windows_layers/import_folder.h"

#include "tests/unit/layers/tar_builder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <optional>
#include <string>

namespace silo::windows_layers {
namespace {

using layers::testing::TarBuilder;
using namespace std::string_literals;

// The test double of the sink: what would be on disk, in memory.
class MemoryFolder final : public ImportFolderSink {
 public:
  struct File {
    std::string bytes;
    std::optional<FileTimes> times;  // set when closed
    std::optional<std::uint32_t> attributes;  // in place only: given when created
    bool folder = false;                      // in place only: created as a folder
  };
  std::map<std::string, File> files;
  std::vector<std::string> folders;

  Result<void> create_folder(const std::string& name) override {
    folders.push_back(name);
    return {};
  }
  Result<void> create_file(const std::string& name) override {
    if (files.contains(name)) return make_error(Errc::conflict, name + " exists");
    current_ = &files[name];
    return {};
  }
  Result<void> create_entry(const std::string& name, bool folder, std::uint32_t attributes, const FileTimes& times) override {
    if (files.contains(name)) return make_error(Errc::conflict, name + " exists");
    current_ = &files[name];
    current_->attributes = attributes;
    current_->folder = folder;
    current_->times = times;
    return {};
  }
  Result<void> write(std::span<const char> bytes) override {
    if (!current_) return make_error(Errc::internal, "write without an open file");
    current_->bytes.append(bytes.data(), bytes.size());
    return {};
  }
  Result<void> close_file(const FileTimes& times) override {
    if (!current_) return make_error(Errc::internal, "close without an open file");
    current_->times = times;
    current_ = nullptr;
    return {};
  }

 private:
  File* current_ = nullptr;
};

struct Converted {
  Result<ImportFolderSummary> summary;
  MemoryFolder folder;
};

Converted convert(const std::string& tar, ImportFolderOptions options = {}) {
  layers::MemorySource source(tar);
  layers::TarEntryReader reader(source);
  Converted out{make_error(Errc::internal, "not run"), {}};
  out.summary = write_import_folder(reader, out.folder, options);
  return out;
}

std::string error_of(const std::string& tar, ImportFolderOptions options = {}) {
  auto out = convert(tar, options);
  if (out.summary) return "(no error)";
  EXPECT_EQ(out.summary.error().code, Errc::invalid_argument) << out.summary.error().message;
  return out.summary.error().message;
}

TarBuilder base_folders() {
  TarBuilder tar;
  tar.dir("Files");
  return tar;
}

// WIN32_STREAM_ID: id, attributes (0), 64-bit size, name size (0).
std::string stream_header(char id, char size) { return std::string{id, 0, 0, 0} + std::string(4, '\0') + std::string{size} + std::string(7, '\0') + std::string(4, '\0'); }

TEST(WindowsLayerImport, AFileIsItsAttributesThenSecurityThenData) {
  auto tar = base_folders();
  tar.pax({{"MSWINDOWS.fileattr", "32"}, {"MSWINDOWS.rawsd", "AQIDBA=="}});  // the descriptor bytes 01 02 03 04
  tar.file("Files/hello.txt", "hello");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  ASSERT_TRUE(out.folder.files.contains("Files/hello.txt"));
  const std::string expected = "\x20\0\0\0"s + stream_header(3, 4) + "\x01\x02\x03\x04"s + stream_header(1, 5) + "hello";
  EXPECT_EQ(out.folder.files["Files/hello.txt"].bytes, expected);
  EXPECT_EQ(out.summary->content_bytes, 5U);
  EXPECT_TRUE(out.summary->has_files);
}

TEST(WindowsLayerImport, AFolderIsCreatedAndItsMetadataGoesBesideItInWcidirs) {
  auto tar = base_folders();
  tar.pax({{"MSWINDOWS.fileattr", "16"}});
  tar.dir("Files/Program Files");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  EXPECT_EQ(out.folder.folders, (std::vector<std::string>{"Files", "Files/Program Files"}));
  EXPECT_EQ(out.folder.files["Files/Program Files.$wcidirs$"].bytes, "\x10\0\0\0"s);
  EXPECT_EQ(out.folder.files["Files.$wcidirs$"].bytes, "\x10\0\0\0"s);  // no fileattr: a folder is FILE_ATTRIBUTE_DIRECTORY
  EXPECT_FALSE(out.folder.files.contains("Files/Program Files"));
}

TEST(WindowsLayerImport, TimesComeFromMtimeAndTheCreationTimeRecord) {
  auto tar = base_folders();
  tar.pax({{"LIBARCHIVE.creationtime", "1500000000.5"}, {"mtime", "1600000000.25"}});
  tar.file("Files/a", "x");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  const auto& times = out.folder.files["Files/a"].times;
  ASSERT_TRUE(times.has_value());
  // FILETIME counts 100 ns from 1601: 1970 is 116444736000000000.
  EXPECT_EQ(times->last_write, 116444736000000000LL + 16000000002500000LL);
  EXPECT_EQ(times->creation, 116444736000000000LL + 15000000005000000LL);
  EXPECT_EQ(times->last_access, times->last_write);
}

TEST(WindowsLayerImport, TimesWindowsCannotHoldAreRefused) {
  auto tar = base_folders();
  tar.add({.name = "Files/ancient", .data = "x", .mtime = -1'000'000'000'000LL});  // 30,000 years before 1970
  EXPECT_NE(error_of(tar.finish()).find("mtime is out of range for Windows"), std::string::npos);
  auto created = base_folders();
  created.pax({{"LIBARCHIVE.creationtime", "99999999999999"}}).file("Files/far", "x");
  EXPECT_NE(error_of(created.finish()).find("LIBARCHIVE.creationtime \"99999999999999\" is not a pax time"), std::string::npos);
}

TEST(WindowsLayerImport, AlternateDataStreamsFollowTheirFileInItsStream) {
  auto tar = base_folders();
  tar.file("Files/setup.exe", "MZ");
  tar.file("Files/setup.exe:Zone.Identifier", "[Z]");
  tar.file("Files/next.txt", "n");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  std::string name;
  for (char c : ":Zone.Identifier:$DATA"s) name += std::string{c, '\0'};
  const std::string expected = "\0\0\0\0"s + stream_header(1, 2) + "MZ" + "\x04\0\0\0"s + std::string(4, '\0') + "\x03"s +
                               std::string(7, '\0') + std::string{static_cast<char>(name.size()), 0, 0, 0} + name + "[Z]";
  EXPECT_EQ(out.folder.files["Files/setup.exe"].bytes, expected);
  EXPECT_FALSE(out.folder.files.contains("Files/setup.exe:Zone.Identifier"));
  EXPECT_TRUE(out.folder.files.contains("Files/next.txt"));
}

TEST(WindowsLayerImport, ASymlinkCarriesItsReparsePoint) {
  auto tar = base_folders();
  tar.pax({{"MSWINDOWS.fileattr", "1024"}});  // FILE_ATTRIBUTE_REPARSE_POINT
  tar.symlink("Files/link", "sub/t");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  // IO_REPARSE_TAG_SYMLINK; data length 8 + (5+1)*2 + (5+1)*2 + 4 flags = 36; both names "sub\t"; relative.
  std::string target16;
  for (char c : "sub\\t"s) target16 += std::string{c, '\0'};
  const std::string reparse = "\x0c\0\0\xa0"s + "\x24\0"s + "\0\0"s + "\0\0"s + "\x0a\0"s + "\x0c\0"s + "\x0a\0"s +
                              "\x01\0\0\0"s + target16 + "\0\0"s + target16 + "\0\0"s;
  EXPECT_EQ(out.folder.files["Files/link"].bytes, "\x00\x04\0\0"s + stream_header(8, static_cast<char>(reparse.size())) + reparse);
}

TEST(WindowsLayerImport, WhiteoutsBecomeTombstonesAndHardLinksWaitForTheImport) {
  auto tar = base_folders();
  tar.dir("Files/Windows");
  tar.file("Files/Windows/a.dll", "A");
  tar.hardlink("Files/Windows/b.dll", "Files/Windows/a.dll");
  tar.hardlink("Files/Windows/c.dll", "Files/Windows/from-parent.dll");
  tar.file("Files/Windows/.wh.old.txt", "");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  EXPECT_EQ(out.summary->tombstones, (std::vector<std::string>{"Files/Windows/old.txt"}));
  ASSERT_EQ(out.summary->hard_links.size(), 2U);
  EXPECT_EQ(out.summary->hard_links[0].name, "Files/Windows/b.dll");
  EXPECT_TRUE(out.summary->hard_links[0].target_in_this_layer);
  EXPECT_FALSE(out.summary->hard_links[1].target_in_this_layer);
  EXPECT_FALSE(out.folder.files.contains("Files/Windows/b.dll"));
  EXPECT_FALSE(out.folder.files.contains("Files/Windows/.wh.old.txt"));
}

TEST(WindowsLayerImport, HivesAreWrittenAsTheirPlainContents) {
  TarBuilder tar;
  tar.dir("Hives");
  tar.file("Hives/Software_Delta", "regf...");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  EXPECT_EQ(out.folder.files["Hives/Software_Delta"].bytes, "regf...");
  EXPECT_EQ(out.folder.files["Hives.$wcidirs$"].bytes, "");
  EXPECT_TRUE(out.summary->has_hives);
}

TEST(WindowsLayerImport, ExtendedAttributesAreOneChainInNameOrder) {
  auto tar = base_folders();
  tar.pax({{"MSWINDOWS.xattr.b", "Wg=="}, {"MSWINDOWS.xattr.a", "WFk="}});  // b = "Z", a = "XY"
  tar.file("Files/e", "");
  auto out = convert(tar.finish());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  // a: 8 + 1 + 1 + 2 = 12 (no padding); b: 8 + 1 + 1 + 1 = 11, padded to 12, next offset 0.
  const std::string chain = "\x0c\0\0\0"s + "\0\x01"s + "\x02\0"s + "a\0XY"s + "\0\0\0\0"s + "\0\x01"s + "\x01\0"s + "b\0Z"s + "\0"s;
  EXPECT_EQ(out.folder.files["Files/e"].bytes, "\0\0\0\0"s + stream_header(2, static_cast<char>(chain.size())) + chain + stream_header(1, 0));
}

TEST(WindowsLayerImport, ALayerWrittenByPythonsTarfileConverts) {
  std::ifstream in(std::string(SILO_TAR_DATA_DIR) + "/python-windows-pax.tar", std::ios::binary);
  std::stringstream tar;
  tar << in.rdbuf();
  auto out = convert(tar.str());
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  const std::string& bytes = out.folder.files["Files/readme.txt"].bytes;
  ASSERT_GT(bytes.size(), 4u + 20 + 76 + 20);
  EXPECT_EQ(bytes.substr(0, 24), "\x20\0\0\0"s + stream_header(3, 76));  // a 76-byte descriptor
  EXPECT_EQ(bytes.substr(4 + 20 + 76), stream_header(1, 15) + "windows layer\r\n");
  EXPECT_EQ(out.folder.files["Files/readme.txt"].times->creation, 116444736000000000LL + 15000000005000000LL);
}

TEST(WindowsLayerImport, NamesOutsideTheWindowsLayoutAreRefusedByName) {
  EXPECT_NE(error_of(TarBuilder().dir("bin").finish()).find("only Files/, Hives/ and UtilityVM/"), std::string::npos);
  EXPECT_NE(error_of(base_folders().file("Files/../x", "").finish()).find("\"..\""), std::string::npos);
  EXPECT_NE(error_of(TarBuilder().file("/Files/x", "").finish()).find("absolute"), std::string::npos);
  EXPECT_NE(error_of(base_folders().file("Files/a\\b", "").finish()).find("character Windows does not allow"), std::string::npos);
  EXPECT_NE(error_of(TarBuilder().dir("UtilityVM").finish()).find("only supported in a base layer"), std::string::npos);
  ImportFolderOptions base;
  base.base_layer = true;
  EXPECT_NE(error_of(TarBuilder().dir("UtilityVM").dir("UtilityVM/Other").finish(), base).find("only UtilityVM/Files/"), std::string::npos);
}

TEST(WindowsLayerImport, WhatWindowsLayersCannotHoldIsRefused) {
  EXPECT_NE(error_of(base_folders().add({.name = "Files/dev", .type = '3'}).finish()).find("devices, FIFOs"), std::string::npos);
  EXPECT_NE(error_of(base_folders().file("Files/.wh..wh..opq", "").finish()).find("opaque whiteouts"), std::string::npos);
  auto sddl = base_folders();
  sddl.pax({{"MSWINDOWS.sd", "O:BAG:SY"}});
  sddl.file("Files/s", "");
  EXPECT_NE(error_of(sddl.finish()).find("MSWINDOWS.rawsd"), std::string::npos);
  auto bad_attributes = base_folders();
  bad_attributes.pax({{"MSWINDOWS.fileattr", "lots"}});
  bad_attributes.file("Files/f", "");
  EXPECT_NE(error_of(bad_attributes.finish()).find("MSWINDOWS.fileattr \"lots\""), std::string::npos);
  EXPECT_NE(error_of(base_folders().hardlink("Files/l", "Hives/x").finish()).find("must both be under"), std::string::npos);
}

TEST(WindowsLayerImport, EntriesMustFollowTheirFolderAndNeverGoThroughALink) {
  EXPECT_NE(error_of(base_folders().file("Files/missing/x", "").finish()).find("its folder \"Files/missing\""), std::string::npos);
  auto through = base_folders();
  through.pax({{"MSWINDOWS.fileattr", "1040"}});  // a folder symlink (DIRECTORY | REPARSE_POINT)
  through.symlink("Files/elsewhere", "C:/Windows");
  through.file("Files/elsewhere/evil.dll", "x");
  EXPECT_NE(error_of(through.finish()).find("\"Files/elsewhere\" is a link"), std::string::npos);
  EXPECT_NE(error_of(base_folders().file("Files/a", "").file("Files/a", "").finish()).find("twice"), std::string::npos);
}

TEST(WindowsLayerImport, LimitsStopLargeFilesAndTooManyEntries) {
  ImportFolderOptions small;
  small.limits.max_file_bytes = 4;
  EXPECT_NE(error_of(base_folders().file("Files/big", "12345").finish(), small).find("max-layer-file-bytes"), std::string::npos);
  small.limits.max_entries = 2;
  EXPECT_NE(error_of(base_folders().file("Files/a", "").file("Files/b", "").finish(), small).find("max-layer-entries"), std::string::npos);
}

}  // namespace
}  // namespace silo::windows_layers

namespace silo::windows_layers {
namespace {

constexpr ImportFolderOptions kInPlace{.base_layer = true, .in_place = true};

TEST(WindowsBaseLayerInPlace, AFileIsCreatedWithItsAttributesAndTimesAndGetsItsStreamWithoutAPrefix) {
  auto tar = base_folders();
  tar.pax({{"MSWINDOWS.fileattr", "32"}, {"MSWINDOWS.rawsd", "AQIDBA=="}, {"mtime", "1600000000"}});
  tar.file("Files/hello.txt", "hello");
  auto out = convert(tar.finish(), kInPlace);
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  const auto& file = out.folder.files["Files/hello.txt"];
  EXPECT_EQ(file.attributes, 32U);
  EXPECT_FALSE(file.folder);
  ASSERT_TRUE(file.times.has_value());
  EXPECT_EQ(file.times->last_write, 116444736000000000LL + 16000000000000000LL);
  EXPECT_EQ(file.bytes, stream_header(3, 4) + "\x01\x02\x03\x04"s + stream_header(1, 5) + "hello");
}

TEST(WindowsBaseLayerInPlace, FoldersAreEntriesThemselvesAndHivesAreFilesLikeAnyOther) {
  TarBuilder tar;
  tar.pax({{"MSWINDOWS.rawsd", "AQIDBA=="}}).dir("Files");
  tar.dir("Hives").file("Hives/Software_Base", "regf");
  auto out = convert(tar.finish(), kInPlace);
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  EXPECT_TRUE(out.folder.folders.empty()) << "no create_folder: the folder is created by create_entry";
  EXPECT_TRUE(out.folder.files["Files"].folder);
  EXPECT_EQ(out.folder.files["Files"].attributes, 0x10U);
  EXPECT_EQ(out.folder.files["Files"].bytes, stream_header(3, 4) + "\x01\x02\x03\x04"s);
  EXPECT_FALSE(out.folder.files.contains("Files.$wcidirs$"));
  EXPECT_EQ(out.folder.files["Hives/Software_Base"].bytes, stream_header(1, 4) + "regf");
  EXPECT_TRUE(out.summary->has_hives);
}

TEST(WindowsBaseLayerInPlace, AUtilityVmImageIsReportedOnlyForARealUtilityVmFilesFolder) {
  TarBuilder with_image;
  with_image.dir("Files").dir("UtilityVM").dir("UtilityVM/Files").file("UtilityVM/Files/bootmgr", "b");
  auto out = convert(with_image.finish(), kInPlace);
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  EXPECT_TRUE(out.summary->has_utility_vm);

  TarBuilder only_folder;
  only_folder.dir("Files").dir("UtilityVM");
  auto bare = convert(only_folder.finish(), kInPlace);
  ASSERT_TRUE(bare.summary) << bare.summary.error().message;
  EXPECT_FALSE(bare.summary->has_utility_vm);
}

TEST(WindowsBaseLayerInPlace, WhiteoutsAndLinksToAnythingNotYetWrittenAreRefused) {
  auto whiteout = base_folders();
  whiteout.file("Files/.wh.old.txt", "");
  EXPECT_NE(error_of(whiteout.finish(), kInPlace).find("a base layer (one without a parent) has nothing to delete"), std::string::npos);

  auto dangling = base_folders();
  dangling.hardlink("Files/b.dll", "Files/a.dll");
  EXPECT_NE(error_of(dangling.finish(), kInPlace).find("must point at a file the layer has before it"), std::string::npos);

  auto linked = base_folders();
  linked.file("Files/a.dll", "A").hardlink("Files/b.dll", "Files/a.dll");
  auto out = convert(linked.finish(), kInPlace);
  ASSERT_TRUE(out.summary) << out.summary.error().message;
  ASSERT_EQ(out.summary->hard_links.size(), 1U);
  EXPECT_TRUE(out.summary->hard_links[0].target_in_this_layer);
}

TEST(WindowsBaseLayerInPlace, ALayerWithParentsIsNeverWrittenInPlace) {
  auto tar = base_folders();
  auto out = convert(tar.finish(), {.base_layer = false, .in_place = true});
  ASSERT_FALSE(out.summary);
  EXPECT_EQ(out.summary.error().code, Errc::internal);
  EXPECT_TRUE(out.folder.files.empty());
}

}  // namespace
}  // namespace silo::windows_layers
