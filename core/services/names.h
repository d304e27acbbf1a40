// Names for containers and sandboxes created without one, docker-like ("brave_turing"), with a
// fallback that cannot collide ("c-<short id>") for when the pleasant one is taken.
#pragma once

#include <string>
#include <string_view>

namespace silo::services {

// adjective_noun, chosen from the id's bytes so the choice needs no extra randomness.
std::string friendly_name(std::string_view id);
std::string fallback_container_name(std::string_view id);
// "<container name>-sandbox", or "sb-<short id>" when that would be too long.
std::string implicit_sandbox_name(std::string_view container_name, std::string_view sandbox_id);

}  // namespace silo::services
