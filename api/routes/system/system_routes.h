// GET /_ping, GET /v1/version, GET /v1/info.
#pragma once

#include "api/http/router.h"
#include "core/engine/engine.h"
#include "core/store/metadata_store.h"

#include <cstdint>
#include <memory>
#include <string>

namespace silo::api {

struct VersionInfo {
  std::string version;      // "0.1.0"
  std::string api_version;  // "v1"
  std::string git_commit;   // short sha or "unknown"
  std::string os;           // "linux"
  std::string arch;         // "x86_64"
  std::string kernel_version;
  std::string build_type;   // "Debug", "Release", "RelWithDebInfo"
};

// Facts about the host, gathered once at startup by the composition root.
struct HostFacts {
  std::string hostname;
  std::string os_name;
  std::string os_version;
  std::string kernel;
  std::int64_t cpus = 0;
  std::int64_t memory_bytes = 0;
};

struct ComponentVersions {
  std::string silo, sqlite, openssl, boost;
};

struct SystemContext {
  VersionInfo version;
  HostFacts host;
  ComponentVersions components;
  std::string data_root;
  std::shared_ptr<MetadataStore> store;
  std::shared_ptr<const engine::Engine> engine;
};

void add_system_routes(Router& router, std::shared_ptr<const SystemContext> context);

}  // namespace silo::api
