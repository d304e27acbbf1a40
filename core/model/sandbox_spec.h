// What a client asks for when it creates a sandbox (the body of POST /v1/sandboxes). A sandbox is
// the isolation boundary: the host for process isolation, one utility VM for hyperv. HostProcess
// is not an isolation of its own for a sandbox; the annotation microsoft.com/hostprocess-container
// marks a sandbox that hosts HostProcess containers.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"
#include "core/model/validation.h"

#include <string>

namespace silo {

struct SandboxSpec {
  std::string name;                          // empty: the service picks one
  Isolation isolation = Isolation::process;  // process or hyperv
  StringMap labels;
  StringMap annotations;

  bool operator==(const SandboxSpec&) const = default;
};

// Name, isolation (process or hyperv), labels, annotations, and the HostProcess annotation values
// ("true"/"false"). Failures are invalid_argument naming the field.
Result<void> validate_sandbox_spec(const SandboxSpec& spec, const validation::Limits& limits = {});

// True when the sandbox carries microsoft.com/hostprocess-container=true. Call on validated specs.
bool is_hostprocess_sandbox(const SandboxSpec& spec);

}  // namespace silo
