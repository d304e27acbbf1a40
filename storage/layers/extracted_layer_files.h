// Layer files on Linux: the tar is extracted by silo's safe extractor (tar_extract.h) into a plain
// folder that overlayfs stacks; removal never follows a link out of the folder (safe_tree.h).
#pragma once

#include "storage/layers/extract_limits.h"
#include "storage/layers/layer_files.h"

namespace silo::layers {

class ExtractedLayerFiles final : public LayerFiles {
 public:
  explicit ExtractedLayerFiles(ExtractLimits limits) : limits_(limits) {}
  Result<ExtractSummary> unpack(ByteSource& body, const std::filesystem::path& folder,
                                const std::vector<std::filesystem::path>& parents) override;
  Result<void> remove(const std::filesystem::path& folder) override;

 private:
  ExtractLimits limits_;
};

}  // namespace silo::layers
