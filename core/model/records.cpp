#include "core/model/records.h"

#include <array>
#include <utility>

namespace silo {
namespace {

template <class Enum, std::size_t N>
Result<Enum> parse_enum(std::string_view field, std::string_view text,
                        const std::array<std::pair<std::string_view, Enum>, N>& table) {
  std::string allowed;
  for (const auto& [name, value] : table) {
    if (name == text) return value;
    allowed += allowed.empty() ? "" : ", ";
    allowed += name;
  }
  return make_error(Errc::invalid_argument, std::string(field) + " \"" + std::string(text) +
                                                "\" is not one of " + allowed);
}

constexpr std::array<std::pair<std::string_view, Isolation>, 3> kIsolations{{
    {"process", Isolation::process}, {"hyperv", Isolation::hyperv}, {"hostprocess", Isolation::hostprocess}}};
constexpr std::array<std::pair<std::string_view, SeccompProfile>, 2> kSeccompProfiles{{
    {"default", SeccompProfile::default_profile}, {"unconfined", SeccompProfile::unconfined}}};
constexpr std::array<std::pair<std::string_view, ContainerState>, 4> kContainerStates{{
    {"created", ContainerState::created},
    {"running", ContainerState::running},
    {"exited", ContainerState::exited},
    {"removing", ContainerState::removing}}};
constexpr std::array<std::pair<std::string_view, SandboxState>, 3> kSandboxStates{{
    {"ready", SandboxState::ready}, {"stopped", SandboxState::stopped}, {"removing", SandboxState::removing}}};

template <class Enum, std::size_t N>
std::string_view name_of(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& table) noexcept {
  for (const auto& [name, v] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

}  // namespace

std::string_view to_string(Isolation value) noexcept { return name_of(value, kIsolations); }
Result<Isolation> parse_isolation(std::string_view text) { return parse_enum("isolation", text, kIsolations); }

std::string_view to_string(SeccompProfile value) noexcept { return name_of(value, kSeccompProfiles); }
Result<SeccompProfile> parse_seccomp_profile(std::string_view text) {
  return parse_enum("seccomp", text, kSeccompProfiles);
}

std::string_view to_string(ContainerState value) noexcept { return name_of(value, kContainerStates); }
Result<ContainerState> parse_container_state(std::string_view text) {
  return parse_enum("state", text, kContainerStates);
}

std::string_view to_string(SandboxState value) noexcept { return name_of(value, kSandboxStates); }
Result<SandboxState> parse_sandbox_state(std::string_view text) {
  return parse_enum("sandbox state", text, kSandboxStates);
}

}  // namespace silo
