// The system call filter silo puts on process-isolated containers: the same one docker puts on a
// container with docker's default capabilities (default_capabilities() in oci_spec.h), as the
// OCI `linux.seccomp` object runc applies. Everything not listed fails with EPERM; namespaces,
// mounts, keyrings, bpf, perf, kernel modules, reboot, the clock and the swap are out, clone may
// not make namespaces, and clone3 answers ENOSYS so C libraries fall back to clone.
//
// The lists are docker's (moby profiles/seccomp/default.json) resolved for these capabilities and
// for this build's architecture; runc skips names its libseccomp does not know.
#pragma once

#include <nlohmann/json.hpp>

namespace silo::engine::runc {

nlohmann::json default_seccomp_profile();

}  // namespace silo::engine::runc
