// Groups from the POSIX account database, for the socket's role mapping (authorization.h).
#pragma once

#include "api/routes/authorization.h"

namespace silo::api {

// The group named `name`; invalid_argument naming the config key when there is none.
Result<LocalGroup> local_group(const std::string& name, std::string_view config_key);

// Every group of the account uid (primary and supplementary); empty when the account is unknown.
std::vector<std::uint32_t> account_groups(std::uint32_t uid);

}  // namespace silo::api
