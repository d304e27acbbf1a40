// Layer import on Windows end to end under Wine: a layer tar through LayerStore (the real SQLite
// store) and HcsLayerFiles. A layer with parents goes to the TEST-ONLY computestorage.dll double,
// which records the calls and copies the staged import folder into the layer, so the test reads
// exactly what HCS would be given. A base layer is written in place through a BackupWrite
// stand-in (Wine has no BackupWrite) and processed by the TEST-ONLY vmcompute.dll double, which
// records ProcessBaseImage and ProcessUtilityImage. Nothing here talks to a real HCS.
#include "storage/layers/layer_store.h"
#include "storage/sqlite/metadata_store.h"
#include "storage/windows_layers/hcs_layer_files.h"
#include "tests/unit/layers/tar_builder.h"
#include "tests/windows/backup_write_standin.h"
#include "tests/windows/computestorage_double/storage_double_handle.h"
#include "tests/windows/vmcompute_double/vmcompute_double_handle.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace silo::windows_layers {
namespace {

namespace fs = std::filesystem;
using layers::testing::TarBuilder;
using nlohmann::json;
using namespace std::string_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A base layer as docker writes one for Windows: Files/ with a file (and its security
// descriptor), Hives/ with a hive.
std::string base_layer_tar() {
  TarBuilder tar;
  tar.dir("Files").pax({{"MSWINDOWS.rawsd", "AQIDBA=="}}).file("Files/hello.txt", "hello").dir("Hives").file("Hives/Software_Base", "regf");
  return tar.finish();
}

// FILETIME of a file or folder's last write, without following links.
std::int64_t last_write_of(const fs::path& path) {
  HANDLE handle = CreateFileW(path.wstring().c_str(), FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (handle == INVALID_HANDLE_VALUE) return -1;
  FILE_BASIC_INFO info{};
  const BOOL read = GetFileInformationByHandleEx(handle, FileBasicInfo, &info, sizeof info);
  CloseHandle(handle);
  return read ? info.LastWriteTime.QuadPart : -1;
}

std::vector<std::uint32_t> streams_of(const std::string& name) {
  for (const auto& entry : testing::restored_entries()) {
    if (entry.name == name) return entry.stream_ids;
  }
  return {};
}

class HcsLayerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(double_.load(SILO_STORAGE_DOUBLE_PATH), "");
    ASSERT_EQ(vmcompute_.load(SILO_VMCOMPUTE_DOUBLE_PATH), "");
    testing::reset_backup_write_standin();
    options_.storage = [storage = std::make_shared<const hcs::storage::LayerStorage>(double_.api())]()
        -> Result<std::shared_ptr<const hcs::storage::LayerStorage>> { return storage; };
    options_.vmcompute = [api = vmcompute_.api()]() -> Result<std::shared_ptr<const hcs::storage::VmcomputeLayerApi>> { return api; };
    options_.backup_write = &testing::backup_write_standin;
    // Layer GUIDs: a stand-in that shows which folder was asked.
    options_.layer_guid = [](std::string_view name) -> Result<std::string> { return "guid-of-" + std::string(name).substr(0, 8); };
    use_files(options_);

    root_ = fs::temp_directory_path() / ("silo-hcs-layers-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto opened = open_metadata_store(StoreOptions{root_ / "silo.db", clock_});
    ASSERT_TRUE(opened) << opened.error().message;
    metadata_ = std::shared_ptr<MetadataStore>(std::move(*opened));
    use_files(options_);
    ASSERT_TRUE(store_->recover());
  }
  void use_files(const HcsLayerFilesOptions& options) {
    if (!metadata_) return;
    files_ = std::make_shared<HcsLayerFiles>(options);
    store_ = std::make_unique<layers::LayerStore>(root_, metadata_, clock_, layers::ExtractLimits{}, files_);
  }
  void TearDown() override {
    store_.reset();
    metadata_.reset();
    fs::remove_all(root_);
  }

  json calls() const { return double_.calls(); }
  json vmcompute_calls() const { return vmcompute_.calls(); }
  Result<layers::LayerInfo> import(const std::string& tar, std::optional<std::string> parent = {}) {
    layers::MemorySource body(tar);
    return store_->import(body, parent);
  }
  std::size_t temp_entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& item : fs::directory_iterator(store_->temp_root())) ++n;
    return n;
  }

  hcs::storage::testing::StorageDoubleHandle double_;
  hcs::storage::testing::VmcomputeDoubleHandle vmcompute_;
  HcsLayerFilesOptions options_;
  SystemClock clock_;
  std::shared_ptr<HcsLayerFiles> files_;
  fs::path root_;
  std::shared_ptr<MetadataStore> metadata_;
  std::unique_ptr<layers::LayerStore> store_;
};

TEST_F(HcsLayerFilesTest, ABaseLayerIsWrittenInPlaceAndProcessedInItsFinalFolder) {
  auto imported = import(base_layer_tar());
  ASSERT_TRUE(imported) << imported.error().message;
  const fs::path layer = store_->layer_path(imported->record.id);
  EXPECT_EQ(calls(), json::array()) << "a base layer never goes through HcsImportLayer";
  const json processed = vmcompute_calls();
  ASSERT_EQ(processed.size(), 1u) << processed.dump();
  EXPECT_EQ(processed[0]["function"], "ProcessBaseImage");
  EXPECT_EQ(fs::path(processed[0]["args"]["path"].get<std::string>()), layer) << "where the layer lives, not its import folder";
  // The files themselves, restored from their backup streams: data, and the descriptor handed on.
  EXPECT_EQ(read_file(layer / "Files" / "hello.txt"), "hello");
  EXPECT_EQ(read_file(layer / "Hives" / "Software_Base"), "regf");
  EXPECT_EQ(streams_of("hello.txt"), (std::vector<std::uint32_t>{3, 1})) << "security descriptor, then data";
  EXPECT_FALSE(fs::exists(layer / "Files.$wcidirs$"));
  EXPECT_EQ(read_file(layer / "layerchain.json"), "[]");
  EXPECT_EQ(testing::open_standin_contexts(), 0) << "every BackupWrite context is released";
  EXPECT_EQ(temp_entries(), 0u);
}

TEST_F(HcsLayerFilesTest, FoldersKeepTheirTimesAndHardLinksShareTheirFile) {
  TarBuilder tar;
  tar.pax({{"mtime", "1600000000"}}).dir("Files");
  tar.dir("Files/Windows").file("Files/Windows/a.dll", "A").hardlink("Files/Windows/b.dll", "Files/Windows/a.dll");
  auto imported = import(tar.finish());
  ASSERT_TRUE(imported) << imported.error().message;
  const fs::path layer = store_->layer_path(imported->record.id);
  // Files/ was changed by everything made inside it; its own time is set again at the end.
  EXPECT_EQ(last_write_of(layer / "Files"), filetime_from_unix(1600000000, 0));
  EXPECT_EQ(read_file(layer / "Files" / "Windows" / "b.dll"), "A");
  { std::ofstream(layer / "Files" / "Windows" / "a.dll", std::ios::binary | std::ios::trunc) << "changed"; }
  EXPECT_EQ(read_file(layer / "Files" / "Windows" / "b.dll"), "changed") << "one file under two names, not a copy";
}

TEST_F(HcsLayerFilesTest, AUtilityVmImageIsProcessedAfterTheBaseLayer) {
  TarBuilder tar;
  tar.dir("Files").dir("UtilityVM").dir("UtilityVM/Files").file("UtilityVM/Files/bootmgr", "boot");
  auto imported = import(tar.finish());
  ASSERT_TRUE(imported) << imported.error().message;
  const fs::path layer = store_->layer_path(imported->record.id);
  const json processed = vmcompute_calls();
  ASSERT_EQ(processed.size(), 2u) << processed.dump();
  EXPECT_EQ(processed[0]["function"], "ProcessBaseImage");
  EXPECT_EQ(processed[1]["function"], "ProcessUtilityImage");
  EXPECT_EQ(fs::path(processed[1]["args"]["path"].get<std::string>()), layer / "UtilityVM");
}

TEST_F(HcsLayerFilesTest, AFailedProcessingReportsVmcomputesErrorAndLeavesNothing) {
  vmcompute_.script("ProcessBaseImage", static_cast<long>(0x80070005));  // E_ACCESSDENIED
  auto imported = import(base_layer_tar());
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, Errc::permission_denied) << imported.error().message;
  EXPECT_NE(imported.error().message.find("ProcessBaseImage"), std::string::npos) << imported.error().message;
  const json destroyed = calls();
  ASSERT_EQ(destroyed.size(), 1u) << destroyed.dump();
  EXPECT_EQ(destroyed[0]["function"], "HcsDestroyLayer") << "HCS removes what it may have made";
  EXPECT_TRUE(store_->list()->empty());
  EXPECT_EQ(temp_entries(), 0u);
  for (const auto& item : fs::directory_iterator(root_ / "layers")) EXPECT_EQ(item.path().filename(), "tmp");
}

TEST_F(HcsLayerFilesTest, WithoutBackupWriteABaseLayerFailsNamingItAndLeavesNothing) {
  options_.backup_write = nullptr;  // ::BackupWrite itself, which Wine does not implement
  use_files(options_);
  auto imported = import(base_layer_tar());
  ASSERT_FALSE(imported);
  EXPECT_NE(imported.error().message.find("BackupWrite of Files/hello.txt"), std::string::npos) << imported.error().message;
  EXPECT_EQ(vmcompute_calls(), json::array());
  const json destroyed = calls();
  ASSERT_EQ(destroyed.size(), 1u) << destroyed.dump();
  EXPECT_EQ(destroyed[0]["function"], "HcsDestroyLayer");
  EXPECT_TRUE(store_->list()->empty());
  EXPECT_EQ(temp_entries(), 0u);
}

TEST_F(HcsLayerFilesTest, WithoutVmcomputeABaseLayerIsRefusedBeforeAnythingIsWritten) {
  options_.vmcompute = []() -> Result<std::shared_ptr<const hcs::storage::VmcomputeLayerApi>> {
    return make_error(Errc::unavailable, "vmcompute.dll is not in System32");
  };
  use_files(options_);
  auto imported = import(base_layer_tar());
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().message, "vmcompute.dll is not in System32");
  EXPECT_EQ(calls(), json::array());
  EXPECT_EQ(testing::restored_entries().size(), 0u);
  EXPECT_EQ(temp_entries(), 0u);
}

TEST_F(HcsLayerFilesTest, AChildLayerNamesItsParentsAndGetsItsHardLinks) {
  auto base = import(base_layer_tar());
  ASSERT_TRUE(base) << base.error().message;
  TarBuilder child;
  child.dir("Files").hardlink("Files/hello-again.txt", "Files/hello.txt").file("Files/.wh.gone.txt", "");
  auto imported = import(child.finish(), base->record.id);
  ASSERT_TRUE(imported) << imported.error().message;
  const json log = calls();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["function"], "HcsImportLayer");
  const json layers = json::parse(log[0]["args"][2].get<std::string>())["Layers"];
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0]["Id"], "guid-of-" + base->record.id.substr(0, 8));
  EXPECT_EQ(fs::path(layers[0]["Path"].get<std::string>()), store_->layer_path(base->record.id));
  // The link points into the parent (the target is not in this layer), with the parent's bytes.
  const fs::path link = store_->layer_path(imported->record.id) / "Files" / "hello-again.txt";
  ASSERT_TRUE(fs::exists(link));
  EXPECT_EQ(read_file(link), read_file(store_->layer_path(base->record.id) / "Files" / "hello.txt"));
  EXPECT_EQ(imported->chain, (std::vector<std::string>{imported->record.id, base->record.id}));
}

TEST_F(HcsLayerFilesTest, ALinuxLayerIsRefusedBeforeHcsIsCalledAndLeavesNothing) {
  TarBuilder linux_layer;
  linux_layer.dir("bin").file("bin/sh", "ELF");
  auto imported = import(linux_layer.finish());
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, Errc::invalid_argument);
  EXPECT_NE(imported.error().message.find("is this a Linux layer?"), std::string::npos) << imported.error().message;
  EXPECT_EQ(calls().size(), 0u) << "nothing was written that HCS would have to destroy";
  EXPECT_EQ(vmcompute_calls().size(), 0u);
  EXPECT_EQ(temp_entries(), 0u);
  EXPECT_TRUE(store_->list()->empty());
}

TEST_F(HcsLayerFilesTest, AFailedHcsImportReportsItsErrorAndLeavesNothing) {
  auto base = import(base_layer_tar());
  ASSERT_TRUE(base) << base.error().message;
  double_.script("HcsImportLayer", static_cast<long>(0x80070005));  // E_ACCESSDENIED
  TarBuilder child;
  child.dir("Files").file("Files/new.txt", "new");
  auto imported = import(child.finish(), base->record.id);
  ASSERT_FALSE(imported);
  EXPECT_NE(imported.error().message.find("HcsImportLayer"), std::string::npos) << imported.error().message;
  EXPECT_EQ(temp_entries(), 0u);
  EXPECT_EQ(store_->list()->size(), 1u) << "only the base layer";
}

TEST_F(HcsLayerFilesTest, RemovingALayerDestroysItThroughHcs) {
  auto imported = import(base_layer_tar());
  ASSERT_TRUE(imported) << imported.error().message;
  ASSERT_TRUE(store_->remove(imported->record.id));
  const json log = calls();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["function"], "HcsDestroyLayer");
  EXPECT_EQ(fs::path(log[0]["args"][0].get<std::string>()), store_->temp_root() / ("remove-" + imported->record.id));
  EXPECT_FALSE(fs::exists(store_->layer_path(imported->record.id)));
  EXPECT_EQ(temp_entries(), 0u);
}

}  // namespace
}  // namespace silo::windows_layers
