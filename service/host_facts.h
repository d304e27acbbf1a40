// Facts about the host for /v1/version and /v1/info, read once at startup. One declaration here,
// one body per platform (posix/host_facts.cpp now, windows/ later).
#pragma once

#include "api/routes/system/system_routes.h"

namespace silo::service {

api::HostFacts read_host_facts();
api::VersionInfo read_version_info();
api::ComponentVersions read_component_versions();

}  // namespace silo::service
