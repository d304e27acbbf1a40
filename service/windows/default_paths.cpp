#include "service/windows/default_paths.h"

#include "core/platform/windows/win32_error.h"

#include <windows.h>
#include <knownfolders.h>
#include <shlobj.h>

namespace silo::service::windows {

Result<WindowsDefaults> windows_defaults() {
  PWSTR program_data = nullptr;
  const HRESULT hr = SHGetKnownFolderPath(FOLDERID_ProgramData, KF_FLAG_DEFAULT, nullptr, &program_data);
  if (FAILED(hr)) {
    CoTaskMemFree(program_data);
    return platform::windows::hresult_error(Errc::failed_precondition, "SHGetKnownFolderPath(FOLDERID_ProgramData)", hr);
  }
  std::filesystem::path root(program_data);
  CoTaskMemFree(program_data);
  WindowsDefaults defaults;
  defaults.data_root = root / "silo";
  defaults.config_file = defaults.data_root / "silod.json";
  return defaults;
}

}  // namespace silo::service::windows
