// The account a container's processes run as: a user name or uid[:gid], resolved on the host.
#pragma once

#include "core/errors.h"

#include <string>
#include <string_view>
#include <vector>

namespace silo::platform {

struct UserAccount {
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;  // supplementary groups, the primary one included
  std::string name;              // empty for a uid without a passwd entry
  std::string home;
};

// "nobody", "65534", "65534:65534", "nobody:nogroup". Unknown names are invalid_argument naming
// the user; a bare uid without a passwd entry is accepted (as docker does) with gid = uid's gid
// argument or 0.
Result<UserAccount> resolve_user(std::string_view spec);

// The account the daemon itself runs as (inherit-user).
Result<UserAccount> current_user();

}  // namespace silo::platform
