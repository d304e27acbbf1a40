// /v1/layers: POST streams a tar (plain or gzip) into a new layer; GET lists and inspects (with the
// parent chain); DELETE removes one that nothing uses.
#pragma once

#include "api/http/router.h"
#include "api/routes/blocking.h"
#include "storage/layers/layer_store.h"

#include <cstdint>
#include <memory>

namespace silo::api {

struct LayersContext {
  std::shared_ptr<layers::LayerStore> layers;
  std::shared_ptr<BlockingPool> pool;     // list/inspect/delete
  std::uint64_t max_upload_bytes = 16ULL << 30;  // the body as sent (compressed or not)
};

void add_layer_routes(Router& router, std::shared_ptr<const LayersContext> context);

// {"id","parent","sizeBytes","createdAt","chain"}
nlohmann::json layer_to_json(const layers::LayerInfo& info);

}  // namespace silo::api
