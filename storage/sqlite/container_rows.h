// Container rows: the containers table and its container_labels child table.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "core/store/metadata_store.h"
#include "storage/sqlite/connection.h"

#include <string_view>
#include <vector>

namespace silo::storage::sqlite {

Result<void> insert_container_row(Connection& connection, const ContainerRecord& record);
Result<void> update_container_row(Connection& connection, const ContainerRecord& record);
Result<void> delete_container_row(Connection& connection, std::string_view id);

Result<ContainerRecord> get_container_row(Connection& connection, std::string_view id);  // exact id
Result<ContainerRecord> find_container_row(Connection& connection, std::string_view ref);  // id, prefix or name
Result<std::vector<ContainerRecord>> list_container_rows(Connection& connection, const ContainerFilter& filter);

}  // namespace silo::storage::sqlite
