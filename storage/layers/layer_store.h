// Layer files and their records together: import (stream -> temp folder -> rename -> row), lookup
// with the parent chain, removal, and start-up recovery. Layouts under DATA_ROOT/layers:
//   <id>/        an extracted layer, complete (renamed into place only after extraction succeeded)
//   tmp/<rand>/  an import in progress or a folder being removed; never read
//
// Crash consistency: the one invariant is "a row implies a complete folder". Import renames the
// folder into place, then inserts the row; delete removes the row, then the folder. A crash in
// between leaves only a folder without a row, which recover() removes at start-up along with tmp/.
#pragma once

#include "core/clock.h"
#include "core/store/metadata_store.h"
#include "storage/layers/byte_source.h"
#include "storage/layers/extract_limits.h"
#include "storage/layers/layer_files.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace silo::layers {

inline constexpr std::size_t kMaxChainDepth = 128;  // overlayfs lower dirs; docker allows 125

struct LayerInfo {
  LayerRecord record;
  std::vector<std::string> chain;  // this layer's id, then its parent's, down to the base
  bool existed = false;            // import: the same content was already there
};

class LayerStore {
 public:
  // `files` does the platform's part: unpacking a tar into a folder, and removing one.
  LayerStore(std::filesystem::path data_root, std::shared_ptr<MetadataStore> store, const Clock& clock, ExtractLimits limits,
             std::shared_ptr<LayerFiles> files);

  // Removes tmp/ leftovers and folders that have no row. Call once before serving.
  Result<void> recover();

  // Streams a tar (plain or gzip) from body into a new layer. parent: a layer id or unique prefix.
  // Idempotent: the same bytes give the same id, and a second import returns the first record.
  Result<LayerInfo> import(ByteSource& body, const std::optional<std::string>& parent);

  Result<LayerInfo> inspect(std::string_view ref);
  // The folders of a layer's chain, the layer's own first and the base layer last: what a backend
  // stacks into a container's root file system.
  Result<std::vector<std::filesystem::path>> chain_folders(std::string_view ref);
  Result<std::vector<LayerInfo>> list();
  // Refused (failed_precondition, naming the user) while a child layer or a container uses it.
  Result<void> remove(std::string_view ref);

  std::filesystem::path layer_path(std::string_view id) const;
  std::filesystem::path temp_root() const { return root_ / "tmp"; }
  const ExtractLimits& limits() const noexcept { return limits_; }

 private:
  Result<std::vector<std::string>> chain_of(const LayerRecord& record);
  Result<LayerInfo> commit(const std::filesystem::path& temp, const std::string& id, const std::optional<std::string>& parent,
                           std::uint64_t size);
  Result<void> discard(const std::filesystem::path& folder);

  std::filesystem::path root_;
  std::shared_ptr<MetadataStore> store_;
  const Clock& clock_;
  ExtractLimits limits_;
  std::shared_ptr<LayerFiles> files_;
  std::mutex commit_mutex_;  // rename+insert and delete+remove are one step each
};

}  // namespace silo::layers
