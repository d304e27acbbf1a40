// The records silo keeps: what the metadata store persists for sandboxes, containers, layers and
// events. Specs are kept whole as JSON; the fields here are the ones lists filter and sort on.
#pragma once

#include "core/clock.h"
#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace silo {

using StringMap = std::map<std::string, std::string>;

enum class Isolation { process, hyperv, hostprocess };
std::string_view to_string(Isolation value) noexcept;
Result<Isolation> parse_isolation(std::string_view text);

// The system call filter of a process-isolated container on Linux ("default", "unconfined").
// default: the filter docker applies (core/engine/runc/seccomp_profile.h); unconfined: none, which
// opens the kernel's whole surface (unshare, keyctl, bpf, ...), so only an admin may ask for it
// (core/model/host_access.h). Other isolation modes have no such filter and ignore it.
enum class SeccompProfile { default_profile, unconfined };
std::string_view to_string(SeccompProfile value) noexcept;
Result<SeccompProfile> parse_seccomp_profile(std::string_view text);

enum class ContainerState { created, running, exited, removing };
std::string_view to_string(ContainerState value) noexcept;
Result<ContainerState> parse_container_state(std::string_view text);

enum class SandboxState { ready, stopped, removing };
std::string_view to_string(SandboxState value) noexcept;
Result<SandboxState> parse_sandbox_state(std::string_view text);

struct SandboxRecord {
  std::string id;
  std::string name;
  Isolation isolation = Isolation::process;
  SandboxState state = SandboxState::ready;
  StringMap labels;
  StringMap annotations;
  nlohmann::json spec = nlohmann::json::object();
  TimeNs created_at = 0;
  std::string backend_handle;  // what the backend needs to find it again after a restart
};

struct ContainerRecord {
  std::string id;
  std::string name;
  std::string sandbox_id;
  Isolation isolation = Isolation::process;
  ContainerState state = ContainerState::created;
  std::string state_reason;  // why the last transition happened ("started by API", "exited with code 3")
  std::optional<std::string> top_layer;
  StringMap labels;
  nlohmann::json spec = nlohmann::json::object();
  TimeNs created_at = 0;
  std::optional<TimeNs> started_at;
  std::optional<TimeNs> finished_at;
  std::optional<int> exit_code;
  std::string backend_handle;
};

struct LayerRecord {
  std::string id;  // sha256 of the uncompressed tar, 64 hex
  std::optional<std::string> parent;
  std::int64_t size_bytes = 0;
  TimeNs created_at = 0;
};

// An event as the API streams it. ids are assigned by the store, strictly increasing, never reused.
struct EventRecord {
  std::int64_t id = 0;
  TimeNs time = 0;
  std::string type;      // "container", "sandbox", "layer", "daemon"
  std::string action;    // "create", "start", "die", ...
  std::string actor_id;  // the object's id
  StringMap attributes;  // name, image, exitCode, ...
};

// What a caller appends; the store fills in id and time.
struct EventDraft {
  std::string type;
  std::string action;
  std::string actor_id;
  StringMap attributes;
};

}  // namespace silo
