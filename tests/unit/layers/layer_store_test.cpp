// LayerStore over a real SQLite store: ids are the digest of the uncompressed tar, imports are
// idempotent and atomic, parents must exist, removal is refused while a child uses a layer, and
// start-up recovery clears what a crash leaves.
#include "storage/layers/extracted_layer_files.h"
#include "storage/layers/layer_store.h"
#include "storage/sqlite/metadata_store.h"
#include "tests/unit/layers/tar_builder.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>

namespace silo::layers {
namespace {

namespace fs = std::filesystem;
using testing::TarBuilder;

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

class LayerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "silo-layers-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    auto opened = open_metadata_store(StoreOptions{root_ / "silo.db", clock_});
    ASSERT_TRUE(opened) << opened.error().message;
    metadata_ = std::shared_ptr<MetadataStore>(std::move(*opened));
    layers_ = std::make_unique<LayerStore>(root_, metadata_, clock_, ExtractLimits{}, std::make_shared<ExtractedLayerFiles>(ExtractLimits{}));
    ASSERT_TRUE(layers_->recover());
  }
  void TearDown() override {
    layers_.reset();
    metadata_.reset();
    fs::remove_all(root_);
  }
  Result<LayerInfo> import(const std::string& bytes, std::optional<std::string> parent = {}) {
    MemorySource source(bytes);
    return layers_->import(source, parent);
  }
  std::size_t temp_entries() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& item : fs::directory_iterator(layers_->temp_root())) ++n;
    return n;
  }

  SystemClock clock_;
  fs::path root_;
  std::shared_ptr<MetadataStore> metadata_;
  std::unique_ptr<LayerStore> layers_;
};

TEST_F(LayerStoreTest, IdIsSha256OfTheUncompressedTarForPlainAndGzip) {
  auto tar = TarBuilder().file("hello", "world").finish();
  auto plain = import(tar);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->record.id, sha256_hex(tar));
  EXPECT_EQ(plain->record.size_bytes, 5);
  EXPECT_TRUE(fs::exists(layers_->layer_path(plain->record.id) / "hello"));
  auto zipped = import(testing::gzip(tar));
  ASSERT_TRUE(zipped) << zipped.error().message;
  EXPECT_EQ(zipped->record.id, plain->record.id);
  EXPECT_TRUE(zipped->existed);
  EXPECT_EQ(temp_entries(), 0u);
}

TEST_F(LayerStoreTest, ParentChainIsRecordedAndRemovalRefusedWhileAChildExists) {
  auto base = import(TarBuilder().file("base", "b").finish());
  ASSERT_TRUE(base);
  auto missing = import(TarBuilder().file("top", "t").finish(), std::string(64, 'a'));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  auto top = import(TarBuilder().file("top", "t").finish(), base->record.id.substr(0, 12));
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_EQ(top->record.parent, base->record.id);
  EXPECT_EQ(top->chain, (std::vector<std::string>{top->record.id, base->record.id}));

  auto refused = layers_->remove(base->record.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("layer " + top->record.id.substr(0, 12)), std::string::npos);
  EXPECT_TRUE(fs::exists(layers_->layer_path(base->record.id)));

  ASSERT_TRUE(layers_->remove(top->record.id));
  ASSERT_TRUE(layers_->remove(base->record.id));
  EXPECT_FALSE(fs::exists(layers_->layer_path(base->record.id)));
  EXPECT_EQ(layers_->inspect(base->record.id).error().code, Errc::not_found);
  EXPECT_EQ(temp_entries(), 0u);
}

TEST_F(LayerStoreTest, FailedImportsLeaveNothing) {
  TarBuilder partial;
  partial.file("a", std::string(100'000, 'x'));
  EXPECT_FALSE(import(partial.truncated(5000)));
  EXPECT_FALSE(import(TarBuilder().file("ok", "1").file("../escape", "2").finish()));
  EXPECT_EQ(temp_entries(), 0u);
  auto listed = layers_->list();
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  std::size_t folders = 0;
  for ([[maybe_unused]] const auto& item : fs::directory_iterator(root_ / "layers")) ++folders;
  EXPECT_EQ(folders, 1u);  // only tmp/
}

// Extracts as on Linux, then finishes as the test says, remembering where it was asked to.
class FinishingLayerFiles final : public LayerFiles {
 public:
  Result<ExtractSummary> unpack(ByteSource& body, const fs::path& folder, const std::vector<fs::path>& parents) override {
    return extracted_.unpack(body, folder, parents);
  }
  Result<void> remove(const fs::path& folder) override { return extracted_.remove(folder); }
  Result<void> finish(const fs::path& folder) override {
    finished.push_back(folder);
    if (fail) return make_error(Errc::unavailable, "the finishing step failed");
    return {};
  }
  std::vector<fs::path> finished;
  bool fail = false;

 private:
  ExtractedLayerFiles extracted_{ExtractLimits{}};
};

TEST_F(LayerStoreTest, ALayerIsFinishedInItsFinalFolderAndAFailedFinishRecordsNothing) {
  auto files = std::make_shared<FinishingLayerFiles>();
  layers_ = std::make_unique<LayerStore>(root_, metadata_, clock_, ExtractLimits{}, files);
  auto tar = TarBuilder().file("hello", "world").finish();
  files->fail = true;
  auto refused = import(tar);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "the finishing step failed");
  ASSERT_EQ(files->finished.size(), 1u);
  EXPECT_EQ(files->finished[0], layers_->layer_path(sha256_hex(tar)));
  EXPECT_FALSE(fs::exists(layers_->layer_path(sha256_hex(tar))));
  EXPECT_TRUE(layers_->list()->empty());
  EXPECT_EQ(temp_entries(), 0u);

  files->fail = false;
  auto imported = import(tar);
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(files->finished.size(), 2u);
  EXPECT_TRUE(fs::exists(layers_->layer_path(imported->record.id) / "hello"));
  auto again = import(tar);  // already there: nothing new to finish
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(files->finished.size(), 2u);
}

TEST_F(LayerStoreTest, ImportRecordsAnEvent) {
  auto layer = import(TarBuilder().file("a", "1").finish());
  ASSERT_TRUE(layer);
  auto events = metadata_->list_events(EventQuery{});
  ASSERT_TRUE(events);
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().type, "layer");
  EXPECT_EQ(events->back().action, "import");
  EXPECT_EQ(events->back().actor_id, layer->record.id);
}

TEST_F(LayerStoreTest, RecoveryRemovesTempFoldersAndFoldersWithoutRecords) {
  fs::create_directories(layers_->temp_root() / "import-crashed/usr");
  fs::create_directories(root_ / "layers" / std::string(64, 'c'));
  auto kept = import(TarBuilder().file("a", "1").finish());
  ASSERT_TRUE(kept);
  ASSERT_TRUE(layers_->recover());
  EXPECT_EQ(temp_entries(), 0u);
  EXPECT_FALSE(fs::exists(root_ / "layers" / std::string(64, 'c')));
  EXPECT_TRUE(fs::exists(layers_->layer_path(kept->record.id) / "a"));
}

}  // namespace
}  // namespace silo::layers
