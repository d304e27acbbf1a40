// Sandbox rows: the sandboxes table and its sandbox_labels child table.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "core/store/metadata_store.h"
#include "storage/sqlite/connection.h"

#include <string_view>
#include <vector>

namespace silo::storage::sqlite {

Result<void> insert_sandbox_row(Connection& connection, const SandboxRecord& record);
Result<void> update_sandbox_row(Connection& connection, const SandboxRecord& record);
// Refused (failed_precondition) while containers belong to the sandbox, naming them.
Result<void> delete_sandbox_row(Connection& connection, std::string_view id);

Result<SandboxRecord> get_sandbox_row(Connection& connection, std::string_view id);  // exact id
Result<SandboxRecord> find_sandbox_row(Connection& connection, std::string_view ref);  // id, prefix or name
Result<std::vector<SandboxRecord>> list_sandbox_rows(Connection& connection, const SandboxFilter& filter);

}  // namespace silo::storage::sqlite
