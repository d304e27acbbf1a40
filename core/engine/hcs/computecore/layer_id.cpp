#include "core/engine/hcs/computecore/layer_id.h"

#include "core/engine/hcs/computecore/system32_library.h"
#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/documents/results.h"
#include "core/platform/windows/win32_error.h"

#include <cstdio>

namespace silo::hcs::computecore {
namespace {

using NameToGuidFn = HRESULT(WINAPI*)(PCWSTR name, GUID* guid);

}  // namespace

std::string format_guid(const GUID& guid) {
  char text[40];
  std::snprintf(text, sizeof text, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                static_cast<unsigned long>(guid.Data1), guid.Data2, guid.Data3, guid.Data4[0], guid.Data4[1],
                guid.Data4[2], guid.Data4[3], guid.Data4[4], guid.Data4[5], guid.Data4[6], guid.Data4[7]);
  return text;
}

Result<std::string> layer_guid(std::string_view folder_base_name) {
  auto library = load_system32_library(L"vmcompute.dll", "install the Containers feature to use Windows layers");
  if (!library) return library.error();
  auto symbol = (*library)->symbol("vmcompute.dll", "NameToGuid");
  if (!symbol) return symbol.error();
  auto name_to_guid = reinterpret_cast<NameToGuidFn>(*symbol);
  std::wstring name = to_wide(folder_base_name);
  GUID guid{};
  HRESULT hr = name_to_guid(name.c_str(), &guid);
  if (FAILED(hr)) {
    return hcs_error("NameToGuid " + std::string(folder_base_name), hr, {},
                     platform::windows::system_message(static_cast<std::uint32_t>(hr)));
  }
  return format_guid(guid);
}

}  // namespace silo::hcs::computecore
