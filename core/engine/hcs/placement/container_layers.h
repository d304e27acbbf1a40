// A container's layers as HCS takes them: its top layer id resolved to the chain of layer folders
// (the layer store /v1/layers serves), top-most first and the base layer last, each with the GUID
// HCS knows it by (vmcompute's NameToGuid of the folder's name); and the vmcompute sources both
// placements default to. Both placements start here.
#pragma once

#include "core/engine/backend.h"
#include "core/engine/hcs/documents/container_document.h"
#include "core/engine/hcs/storage/layer_storage.h"
#include "core/engine/hcs/storage/scratch_mount.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace silo::engine::hcs_backend {

// A top layer id to its chain's folders, top-most first and the base layer last.
using LayerFoldersFn = std::function<Result<std::vector<std::filesystem::path>>(const std::string& layer_id)>;
// A layer folder's base name to its GUID.
using LayerGuidFn = std::function<Result<std::string>(std::string_view folder_name)>;

// vmcompute's layer calls, or why this host has none.
using ScratchMountsSource = std::function<Result<std::shared_ptr<const hcs::storage::ScratchMounts>>()>;

// The defaults of both placements: computecore::layer_guid (vmcompute's NameToGuid), and
// vmcompute.dll from System32, loaded when asked (so silod starts on hosts without it).
LayerGuidFn system_layer_guid();
ScratchMountsSource system_scratch_mounts();

// invalid_argument naming `layer` when the spec has none; `isolation` says which kind of container
// needs it ("a process-isolated container").
Result<std::vector<hcs::LayerFolder>> container_layers(const LaunchRequest& request, const LayerFoldersFn& layer_folders,
                                                       const LayerGuidFn& layer_guid, std::string_view isolation);

// The same layers as the storage calls take them.
std::vector<hcs::storage::LayerRef> layer_refs(const std::vector<hcs::LayerFolder>& layers);

}  // namespace silo::engine::hcs_backend
