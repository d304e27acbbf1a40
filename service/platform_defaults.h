// silod's defaults where the platforms differ (the rest are DaemonConfig's member initializers):
// Linux serves unix:///run/silo/silod.sock with data under /var/lib/silo; Windows serves
// npipe:////./pipe/silod with data under %ProgramData%\silo and reads %ProgramData%\silo\silod.json
// when it exists. Bodies in posix/ and windows/daemon_platform.cpp.
#pragma once

#include "service/config.h"

namespace silo::service {

// The platform's defaults, before the config file and flags apply.
Result<DaemonConfig> default_daemon_config();

}  // namespace silo::service
