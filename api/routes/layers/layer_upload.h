// Feeds a streamed request body to LayerStore::import running on its own thread. The request's
// coroutine reads the body piece by piece and hands each piece over through a bounded ChunkPipe;
// the import thread extracts as the bytes arrive. A body that breaks (client gone, too slow, over
// the limit) aborts the pipe, so the import fails and removes its temporary folder.
#pragma once

#include "api/http/body_reader.h"
#include "api/http/response_writer.h"
#include "storage/layers/layer_store.h"

#include <memory>
#include <optional>
#include <string>

namespace silo::api {

struct UploadOutcome {
  std::optional<Result<layers::LayerInfo>> imported;  // set unless the body itself failed
  std::optional<Response> body_failure;               // the answer for a failed body (none: client gone)
  bool body_failed = false;
};

asio::awaitable<UploadOutcome> import_upload(BodyReader& body, std::shared_ptr<layers::LayerStore> store,
                                             std::optional<std::string> parent);

}  // namespace silo::api
