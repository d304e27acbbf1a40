// Who is calling, as core sees it. The transport maps its peer (a Unix socket's uid, a named
// pipe client's token, a TLS client certificate) to this (api/routes/authorization.h); core only
// decides with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace silo {

// Ordered by privilege: each role may do everything the one below it may.
//   read_only: reads (GET, HEAD, waiting for an exit)
//   operator:  manages containers, sandboxes, layers and execs, except HostProcess ones
//   admin:     also creates HostProcess containers (host privileges) and changes configuration
// ("operator" is a C++ keyword, hence the trailing underscore.)
enum class Role { read_only = 0, operator_ = 1, admin = 2 };

// "read-only", "operator", "admin": the names used in certificates, the config file and messages.
constexpr std::string_view role_name(Role role) noexcept {
  switch (role) {
    case Role::admin: return "admin";
    case Role::operator_: return "operator";
    case Role::read_only: break;
  }
  return "read-only";
}

// The role a name spells, compared without regard to ASCII case ("Admin" in an OU is admin).
inline std::optional<Role> parse_role(std::string_view text) noexcept {
  auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
      if (x != b[i]) return false;
    }
    return true;
  };
  for (Role role : {Role::read_only, Role::operator_, Role::admin}) {
    if (same(text, role_name(role))) return role;
  }
  return std::nullopt;
}

constexpr bool role_allows(Role held, Role needed) noexcept {
  return static_cast<int>(held) >= static_cast<int>(needed);
}

struct Identity {
  std::string name;             // for messages and the audit trail: "uid 1000", "CN=ops-laptop,OU=admin"
  Role role = Role::read_only;  // the least privilege unless a mapping grants more

  // May do host-privileged things (create HostProcess containers).
  bool is_admin() const noexcept { return role == Role::admin; }
};

}  // namespace silo
