// What a platform does with a layer's files, behind LayerStore (which owns the records, the
// naming, and crash safety): on Linux a safe extraction into a plain folder (ExtractedLayerFiles),
// on Windows a conversion to HCS's import layout and computestorage's HcsImportLayer
// (storage/windows_layers/hcs_layer_files.h).
#pragma once

#include "storage/layers/byte_source.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace silo::layers {

struct ExtractSummary {
  std::string digest;               // sha256 hex of the uncompressed tar stream: the layer id
  std::uint64_t stream_bytes = 0;   // uncompressed tar bytes
  std::uint64_t content_bytes = 0;  // sum of regular file sizes (hard links counted once)
  std::uint64_t entries = 0;
  bool compressed = false;
};

class LayerFiles {
 public:
  virtual ~LayerFiles() = default;
  // Reads the tar (plain or gzip) from `body` into `folder`, which exists and is empty. `parents`
  // are the folders of the parent chain, nearest first (empty for a base layer). On error the
  // folder may hold a partial result, which the caller passes to remove().
  virtual Result<ExtractSummary> unpack(ByteSource& body, const std::filesystem::path& folder,
                                        const std::vector<std::filesystem::path>& parents) = 0;
  // Called once the unpacked folder has been moved to its final place, before the layer is
  // recorded: work that must happen where the layer will live (on Windows, a base layer's
  // processing, which makes VHDs next to its files). On error the store removes the folder and
  // records nothing. The default has nothing to do.
  virtual Result<void> finish(const std::filesystem::path& folder) {
    (void)folder;
    return {};
  }
  // Removes a layer folder, complete or partial, and everything in it.
  virtual Result<void> remove(const std::filesystem::path& folder) = 0;
};

}  // namespace silo::layers
