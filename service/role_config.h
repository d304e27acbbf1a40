// The config keys of the role model (api/routes/authorization.h): operator-group and tls-roles.
// admin-group and group (the socket's) are in the main key table because they predate roles.
#pragma once

#include "service/config_keys.h"

#include <vector>

namespace silo::service {

void add_role_keys(std::vector<ConfigKey>& keys);

}  // namespace silo::service
