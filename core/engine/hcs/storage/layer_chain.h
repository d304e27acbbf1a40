// layerchain.json, docker's windowsfilter format: a JSON array of the parent layer folder paths,
// nearest parent first, stored inside each layer folder. A base layer has an empty array. silo
// writes it for every layer it imports or initializes so the chain can be rebuilt from the folder.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>
#include <vector>

namespace silo::hcs::storage {

inline constexpr const char* kLayerChainFile = "layerchain.json";

// Writes <layer_folder>/layerchain.json (temp file, then rename, so a reader never sees half).
Result<void> write_layer_chain(const std::filesystem::path& layer_folder, const std::vector<std::string>& parents);

// The parents listed in <layer_folder>/layerchain.json; not_found when the file is missing,
// invalid_argument when it is not a JSON array of strings.
Result<std::vector<std::string>> read_layer_chain(const std::filesystem::path& layer_folder);

}  // namespace silo::hcs::storage
