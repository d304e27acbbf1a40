// Layer rows: the layers table (a layer may have a parent layer).
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "storage/sqlite/connection.h"

#include <string_view>
#include <vector>

namespace silo::storage::sqlite {

Result<void> insert_layer_row(Connection& connection, const LayerRecord& record);
// Refused (failed_precondition) while a child layer or a container uses the layer, naming it.
Result<void> delete_layer_row(Connection& connection, std::string_view id);

// Full id, unique prefix, or either with a "sha256:" in front.
Result<LayerRecord> find_layer_row(Connection& connection, std::string_view ref);
Result<std::vector<LayerRecord>> list_layer_rows(Connection& connection);

}  // namespace silo::storage::sqlite
