// The computestorage client and layer operations against the TEST-ONLY computestorage.dll double,
// under Wine: the exact call sequence and layer data documents, a failing HRESULT's text, nothing
// left behind on failure, and layerchain.json. Nothing here talks to a real HCS.
#include "core/engine/hcs/storage/layer_chain.h"
#include "core/engine/hcs/storage/layer_storage.h"
#include "tests/windows/computestorage_double/storage_double_handle.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace silo::hcs::storage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<LayerRef> kParents = {{"11111111-1111-1111-1111-111111111111", "C:\\layers\\app"},
                                        {"22222222-2222-2222-2222-222222222222", "C:\\layers\\base"}};

class LayerStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string failure = double_.load(SILO_STORAGE_DOUBLE_PATH);
    ASSERT_EQ(failure, "");
    storage_ = std::make_unique<LayerStorage>(double_.api());
    root_ = fs::temp_directory_path() / ("silo-layers-" + std::to_string(GetCurrentProcessId()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  json calls() const { return double_.calls(); }

  testing::StorageDoubleHandle double_;
  std::unique_ptr<LayerStorage> storage_;
  fs::path root_;
};

TEST_F(LayerStorageTest, LayerDataDocumentListsLayersNearestFirst) {
  EXPECT_EQ(json::parse(layer_data_document(kParents)),
            json::parse(R"({"SchemaVersion":{"Major":2,"Minor":1},"Layers":[
              {"Id":"11111111-1111-1111-1111-111111111111","Path":"C:\\layers\\app"},
              {"Id":"22222222-2222-2222-2222-222222222222","Path":"C:\\layers\\base"}]})"));
}

TEST_F(LayerStorageTest, ImportGoesThroughStagingAndWritesTheLayerChain) {
  const fs::path layer = root_ / "top";
  const fs::path source = root_ / "source";
  ASSERT_TRUE(storage_->import_layer(layer, source, kParents));
  const json log = calls();
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["function"], "HcsImportLayer");
  EXPECT_EQ(log[0]["args"][0], layer.string() + ".importing");
  EXPECT_EQ(log[0]["args"][1], source.string());
  EXPECT_EQ(json::parse(log[0]["args"][2].get<std::string>()), json::parse(layer_data_document(kParents)));
  EXPECT_TRUE(fs::exists(layer / "double-marker"));
  EXPECT_FALSE(fs::exists(layer.string() + ".importing"));
  auto chain = read_layer_chain(layer);
  ASSERT_TRUE(chain) << chain.error().message;
  EXPECT_EQ(*chain, (std::vector<std::string>{"C:\\layers\\app", "C:\\layers\\base"}));
}

TEST_F(LayerStorageTest, FailedImportSurfacesTheErrorTextAndLeavesNothing) {
  const fs::path layer = root_ / "top";
  double_.script("HcsImportLayer", static_cast<long>(0x80070005));  // E_ACCESSDENIED
  auto imported = storage_->import_layer(layer, root_ / "source", kParents);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, Errc::permission_denied);
  EXPECT_NE(imported.error().message.find("HcsImportLayer"), std::string::npos) << imported.error().message;
  EXPECT_NE(imported.error().message.find("0x80070005"), std::string::npos) << imported.error().message;
  const json log = calls();
  ASSERT_EQ(log.size(), 2u) << log.dump();
  EXPECT_EQ(log[1]["function"], "HcsDestroyLayer");
  EXPECT_EQ(log[1]["args"][0], layer.string() + ".importing");
  EXPECT_FALSE(fs::exists(layer));
  EXPECT_FALSE(fs::exists(layer.string() + ".importing"));
}

TEST_F(LayerStorageTest, ImportRefusesAnExistingLayer) {
  fs::create_directories(root_ / "top");
  auto imported = storage_->import_layer(root_ / "top", root_ / "source", kParents);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().code, Errc::already_exists);
  EXPECT_TRUE(calls().empty());
}

TEST_F(LayerStorageTest, BaseOsVolumeSetup) {
  ASSERT_TRUE(storage_->setup_base_os_volume(root_ / "base", "\\\\?\\Volume{x}\\", "{}"));
  const json log = calls();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["function"], "HcsSetupBaseOSVolume");
  EXPECT_EQ(log[0]["args"], json::array({(root_ / "base").string(), "\\\\?\\Volume{x}\\", "{}"}));
}

TEST_F(LayerStorageTest, WritableLayerIsInitializedAttachedThenDetachedAndDestroyed) {
  const fs::path scratch = root_ / "scratch";
  ASSERT_TRUE(storage_->create_writable_layer(scratch, kParents));
  auto chain = read_layer_chain(scratch);
  ASSERT_TRUE(chain);
  EXPECT_EQ(chain->size(), 2u);
  ASSERT_TRUE(storage_->remove_writable_layer(scratch));
  const json log = calls();
  const std::string data = layer_data_document(kParents);
  ASSERT_EQ(log.size(), 4u) << log.dump();
  EXPECT_EQ(log[0]["function"], "HcsInitializeWritableLayer");
  EXPECT_EQ(log[0]["args"], json::array({scratch.string(), data, ""}));
  EXPECT_EQ(log[1]["function"], "HcsAttachLayerStorageFilter");
  EXPECT_EQ(log[1]["args"], json::array({scratch.string(), data}));
  EXPECT_EQ(log[2]["function"], "HcsDetachLayerStorageFilter");
  EXPECT_EQ(log[3]["function"], "HcsDestroyLayer");
  EXPECT_EQ(log[3]["args"][0], scratch.string());
  EXPECT_FALSE(fs::exists(scratch));
}

TEST_F(LayerStorageTest, FailedAttachDestroysTheNewWritableLayer) {
  const fs::path scratch = root_ / "scratch";
  double_.script("HcsAttachLayerStorageFilter", static_cast<long>(0x80070020));  // sharing violation
  auto created = storage_->create_writable_layer(scratch, kParents);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::conflict);
  EXPECT_NE(created.error().message.find("HcsAttachLayerStorageFilter"), std::string::npos);
  const json log = calls();
  ASSERT_EQ(log.size(), 3u) << log.dump();
  EXPECT_EQ(log[2]["function"], "HcsDestroyLayer");
  EXPECT_FALSE(fs::exists(scratch));
}

TEST_F(LayerStorageTest, LayerChainRejectsWhatIsNotAnArrayOfPaths) {
  fs::create_directories(root_ / "l");
  EXPECT_EQ(read_layer_chain(root_ / "l").error().code, Errc::not_found);
  std::ofstream(root_ / "l" / "layerchain.json") << R"({"parent":"x"})";
  EXPECT_EQ(read_layer_chain(root_ / "l").error().code, Errc::invalid_argument);
  ASSERT_TRUE(write_layer_chain(root_ / "l", {}));
  auto chain = read_layer_chain(root_ / "l");
  ASSERT_TRUE(chain);
  EXPECT_TRUE(chain->empty());  // a base layer
}

}  // namespace
}  // namespace silo::hcs::storage
