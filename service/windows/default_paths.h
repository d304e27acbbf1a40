// Windows defaults (issue 6), used by silod's Windows main: the data root %ProgramData%\silo, the
// API on \\.\pipe\silod, the config file %ProgramData%\silo\silod.json. %ProgramData% comes from
// SHGetKnownFolderPath(FOLDERID_ProgramData), not the environment, which a service may not have.
#pragma once

#include "core/errors.h"

#include <filesystem>
#include <string>

namespace silo::service::windows {

struct WindowsDefaults {
  std::filesystem::path data_root;
  std::filesystem::path config_file;
  std::string host = "npipe:////./pipe/silod";
};

Result<WindowsDefaults> windows_defaults();

}  // namespace silo::service::windows
