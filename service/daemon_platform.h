// What silod does differently on Linux and on Windows, behind one declaration each; the composition
// root (composition_root.cpp) is the same code on both. Bodies: posix/daemon_platform.cpp and
// windows/daemon_platform.cpp.
//
//                     Linux                                Windows
//   defaults          unix:///run/silo/silod.sock,         npipe:////./pipe/silod, %ProgramData%\silo,
//                     /var/lib/silo                        %ProgramData%\silo\silod.json when present
//   local listener    unix socket (peer credentials)       named pipe (the client's token)
//   local roles       root, admin-group, operator-group,   Administrators/SYSTEM admin, every other
//                     the socket's group                   account the pipe admits operator
//   backends          hostprocess (cgroups), process       hostprocess (job objects), process (HCS
//                     (runc)                               with ProcessPlacement), hyperv (HCS; no
//                                                          utility VM image yet, so unavailable)
//   layer files       libarchive extraction into a         computestorage's HcsImportLayer of the
//                     folder (overlay lower dirs)          converted tar (HcsLayerFiles)
#pragma once

#include "api/http/router.h"
#include "api/http/server.h"
#include "api/routes/authorization.h"
#include "api/routes/blocking.h"
#include "core/clock.h"
#include "core/engine/engine.h"
#include "core/store/metadata_store.h"
#include "service/config.h"
#include "service/platform_defaults.h"
#include "storage/layers/layer_files.h"
#include "storage/layers/layer_store.h"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>

namespace silo::service {

// Creates the data root if needed, with the platform's access rules.
Result<void> prepare_data_root(const std::string& dir);

// How this platform turns a layer tar into a layer folder (the layer store around it is shared).
std::shared_ptr<layers::LayerFiles> platform_layer_files(const DaemonConfig& config);

// Every isolation backend this platform has; the engine reports the others unavailable. `layers`
// is the store /v1/layers serves, where the backends find a container's layer chain.
void register_platform_backends(engine::Engine& engine, const DaemonConfig& config, std::shared_ptr<layers::LayerStore> layers);

// A listener for a local host address (unix:// or npipe://); tcp:// is the composition root's.
Result<std::shared_ptr<api::Listener>> open_local_listener(boost::asio::any_io_executor executor, const std::string& host,
                                                           const DaemonConfig& config);

// The local transport's part of the role policy (groups), and how a peer's groups are found.
Result<void> add_local_roles(const DaemonConfig& config, api::RolePolicy& policy);
api::GroupsOf local_groups_of();

}  // namespace silo::service
