// The GUID HCS knows a layer folder by (Storage.Layers[].Id): vmcompute.dll's NameToGuid over the
// folder's base name, as hcsshim (wclayer.LayerID) and docker's windowsfilter driver compute it.
// Microsoft has not published that algorithm, so silo asks vmcompute.dll (System32 only, loaded at
// run time) instead of reimplementing it.
#pragma once

#include <windows.h>

#include "core/errors.h"

#include <string>
#include <string_view>

namespace silo::hcs::computecore {

// unavailable when this host has no vmcompute.dll (Wine, Windows without Containers).
Result<std::string> layer_guid(std::string_view folder_base_name);

// 8-4-4-4-12 lower-case hex, no braces (what the documents carry).
std::string format_guid(const GUID& guid);

}  // namespace silo::hcs::computecore
