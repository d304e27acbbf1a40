// Layer import on Windows end to end under Wine: a layer tar through LayerStore (the real SQLite
// store) and HcsLayerFiles into the TEST-ONLY computestorage.dll double, which records the calls
// and copies the staged import folder into the layer, so the test reads exactly what HCS would be
// given. Nothing here talks to a real HCS.
#include "storage/layers/layer_store.h"
#include "storage/sqlite/metadata_store.h"
#include "storage/windows_layers/hcs_layer_files.h"
#include "tests/unit/layers/tar_builder.h"
#include "tests/windows/computestorage_double/storage_double_handle.h"

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

// A base layer as docker writes one for Windows: Files/ with a file, Hives/ with a hive.
std::string base_layer_tar() {
  TarBuilder tar;
  tar.dir("Files").file("Files/hello.txt", "hello").dir("Hives").file("Hives/Software_Base", "regf");
  return tar.finish();
}

class HcsLayerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string failure = double_.load(SILO_STORAGE_DOUBLE_PATH);
    ASSERT_EQ(failure, "");
    auto storage = std::make_shared<const hcs::storage::LayerStorage>(double_.api());
    // vmcompute.dll's NameToGuid does not exist under Wine: a stand-in that shows which folder was asked.
    auto guid = [](std::string_view name) -> Result<std::string> { return "guid-of-" + std::string(name).substr(0, 8); };
    files_ = std::make_shared<HcsLayerFiles>(storage, layers::ExtractLimits{}, guid);

    root_ = fs::temp_directory_path() / ("silo-hcs-layers-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto opened = open_metadata_store(StoreOptions{root_ / "silo.db", clock_});
    ASSERT_TRUE(opened) << opened.error().message;
    metadata_ = std::shared_ptr<MetadataStore>(std::move(*opened));
    store_ = std::make_unique<layers::LayerStore>(root_, metadata_, clock_, layers::ExtractLimits{}, files_);
    ASSERT_TRUE(store_->recover());
  }
  void TearDown() override {
    store_.reset();
    metadata_.reset();
    fs::remove_all(root_);
  }

  json calls() const { return double_.calls(); }
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
  SystemClock clock_;
  std::shared_ptr<HcsLayerFiles> files_;
  fs::path root_;
  std::shared_ptr<MetadataStore> metadata_;
  std::unique_ptr<layers::LayerStore> store_;
};

TEST_F(HcsLayerFilesTest, ABaseLayerIsStagedInTheImportFormatAndImportedWithoutParents) {
  auto imported = import(base_layer_tar());
  ASSERT_TRUE(imported) << imported.error().message;
  const json log = calls();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["function"], "HcsImportLayer");
  EXPECT_EQ(json::parse(log[0]["args"][2].get<std::string>())["Layers"], json::array());
  const fs::path layer = store_->layer_path(imported->record.id);
  // What HCS was given (the double copies it): attributes + backup stream for files, plain hives.
  EXPECT_EQ(read_file(layer / "Files" / "hello.txt"), "\0\0\0\0"s + "\x01\0\0\0"s + "\0\0\0\0"s + "\x05"s + std::string(7, '\0') +
                                                          std::string(4, '\0') + "hello");
  EXPECT_EQ(read_file(layer / "Hives" / "Software_Base"), "regf");
  EXPECT_EQ(read_file(layer / "Files.$wcidirs$"), "\x10\0\0\0"s);
  EXPECT_TRUE(fs::exists(layer / "layerchain.json"));
  EXPECT_EQ(temp_entries(), 0u) << "the import folder and staging are gone";
}

TEST_F(HcsLayerFilesTest, AChildLayerNamesItsParentsAndGetsItsHardLinks) {
  auto base = import(base_layer_tar());
  ASSERT_TRUE(base) << base.error().message;
  TarBuilder child;
  child.dir("Files").hardlink("Files/hello-again.txt", "Files/hello.txt").file("Files/.wh.gone.txt", "");
  auto imported = import(child.finish(), base->record.id);
  ASSERT_TRUE(imported) << imported.error().message;
  const json log = calls();
  ASSERT_EQ(log.size(), 2u) << log.dump();
  const json layers = json::parse(log[1]["args"][2].get<std::string>())["Layers"];
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
  EXPECT_EQ(calls().size(), 0u);
  EXPECT_EQ(temp_entries(), 0u);
  EXPECT_TRUE(store_->list()->empty());
}

TEST_F(HcsLayerFilesTest, AFailedHcsImportReportsItsErrorAndLeavesNothing) {
  double_.script("HcsImportLayer", static_cast<long>(0x80070005));  // E_ACCESSDENIED
  auto imported = import(base_layer_tar());
  ASSERT_FALSE(imported);
  EXPECT_NE(imported.error().message.find("HcsImportLayer"), std::string::npos) << imported.error().message;
  EXPECT_EQ(temp_entries(), 0u);
  EXPECT_TRUE(store_->list()->empty());
}

TEST_F(HcsLayerFilesTest, RemovingALayerDestroysItThroughHcs) {
  auto imported = import(base_layer_tar());
  ASSERT_TRUE(imported) << imported.error().message;
  ASSERT_TRUE(store_->remove(imported->record.id));
  const json log = calls();
  ASSERT_EQ(log.size(), 2u) << log.dump();
  EXPECT_EQ(log[1]["function"], "HcsDestroyLayer");
  EXPECT_EQ(fs::path(log[1]["args"][0].get<std::string>()), store_->temp_root() / ("remove-" + imported->record.id));
  EXPECT_FALSE(fs::exists(store_->layer_path(imported->record.id)));
  EXPECT_EQ(temp_entries(), 0u);
}

}  // namespace
}  // namespace silo::windows_layers
