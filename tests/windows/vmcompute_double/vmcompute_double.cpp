// TEST ONLY: a stand-in for vmcompute.dll's legacy layer API, so the scratch mount's call sequences
// can be asserted under Wine, which has no vmcompute.dll. Each export records its name and
// arguments (wide strings as UTF-8, the DriverInfo's flavour and home dir, every layer descriptor's
// GUID, flags and path) and returns the HRESULT scripted for it, S_OK otherwise. The structs are
// declared here from hcsshim's definitions, independently of silo's, so a layout mistake on one
// side shows up as wrong recorded arguments. See vmcompute_double.h for the controls.
#include <windows.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace {

using nlohmann::json;

struct DriverInfo {  // vmcompute's DriverInfo
  int Flavour;
  PCWSTR HomeDir;
};

struct LayerDescriptor {  // WC_LAYER_DESCRIPTOR
  GUID LayerId;
  ULONG Flags;
  PCWSTR Path;
};

constexpr const char* kDefaultMountPath = "\\\\?\\Volume{5ca7c4a1-0000-4000-8000-000000000001}\\";

struct Script {
  HRESULT hr;
  int remaining;
};

struct State {
  std::mutex mutex;
  json calls = json::array();
  std::map<std::string, std::deque<Script>> scripts;
  std::string mount_path = kDefaultMountPath;
  int prepare_delay_ms = 0;
  int prepares_in_flight = 0;
  int most_prepares_in_flight = 0;
};

State& state() {
  static State instance;
  return instance;
}

std::string utf8(PCWSTR text) {
  if (text == nullptr) return {};
  int bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(bytes), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), bytes, nullptr, nullptr);
  out.pop_back();
  return out;
}

std::wstring wide(const std::string& text) {
  int chars = MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, nullptr, 0);
  std::wstring out(static_cast<std::size_t>(chars), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, out.data(), chars);
  out.pop_back();
  return out;
}

json text_or_null(PCWSTR text) { return text == nullptr ? json(nullptr) : json(utf8(text)); }

std::string guid_text(const GUID& guid) {
  char text[40];
  std::snprintf(text, sizeof text, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                static_cast<unsigned long>(guid.Data1), guid.Data2, guid.Data3, guid.Data4[0], guid.Data4[1],
                guid.Data4[2], guid.Data4[3], guid.Data4[4], guid.Data4[5], guid.Data4[6], guid.Data4[7]);
  return text;
}

json driver(const DriverInfo* info) {
  if (info == nullptr) return nullptr;
  return {{"flavour", info->Flavour}, {"home_dir", text_or_null(info->HomeDir)}};
}

json descriptors(const LayerDescriptor* layers, SIZE_T count) {
  json list = json::array();
  for (SIZE_T i = 0; layers != nullptr && i < count; ++i) {
    list.push_back({{"id", guid_text(layers[i].LayerId)}, {"flags", layers[i].Flags}, {"path", utf8(layers[i].Path)}});
  }
  return list;
}

// Records the call and pops the HRESULT scripted for it.
HRESULT record(const char* function, json args) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.calls.push_back({{"function", function}, {"args", std::move(args)}});
  auto scripted = s.scripts.find(function);
  if (scripted == s.scripts.end() || scripted->second.empty()) return S_OK;
  Script& next = scripted->second.front();
  const HRESULT hr = next.hr;
  if (--next.remaining <= 0) scripted->second.pop_front();
  return hr;
}

std::uint64_t fnv1a(const std::wstring& text, std::uint64_t seed) {
  std::uint64_t hash = seed;
  for (wchar_t c : text) {
    hash ^= static_cast<std::uint64_t>(c);
    hash *= 0x100000001B3ull;
  }
  return hash;
}

}  // namespace

extern "C" {

__declspec(dllexport) void VmcomputeDoubleScript(const char* function, long hresult, int times) {
  std::lock_guard lock(state().mutex);
  state().scripts[function].push_back(Script{static_cast<HRESULT>(hresult), times});
}
__declspec(dllexport) void VmcomputeDoubleSetMountPath(const char* path) {
  std::lock_guard lock(state().mutex);
  state().mount_path = path;
}
__declspec(dllexport) void VmcomputeDoubleReset() {
  std::lock_guard lock(state().mutex);
  state().calls = json::array();
  state().scripts.clear();
  state().mount_path = kDefaultMountPath;
  state().prepare_delay_ms = 0;
  state().most_prepares_in_flight = 0;
}
__declspec(dllexport) void VmcomputeDoubleSetPrepareDelay(int milliseconds) {
  std::lock_guard lock(state().mutex);
  state().prepare_delay_ms = milliseconds;
}
__declspec(dllexport) int VmcomputeDoubleMostConcurrentPrepares() {
  std::lock_guard lock(state().mutex);
  return state().most_prepares_in_flight;
}
__declspec(dllexport) int VmcomputeDoubleCallLog(char* buffer, int size) {
  std::lock_guard lock(state().mutex);
  std::string text = state().calls.dump();
  if (buffer != nullptr && size >= static_cast<int>(text.size())) std::memcpy(buffer, text.data(), text.size());
  return static_cast<int>(text.size());
}

// On success, like the real call, leaves a sandbox.vhdx in the scratch folder.
__declspec(dllexport) HRESULT WINAPI CreateSandboxLayer(const DriverInfo* info, PCWSTR id, PCWSTR parent,
                                                        const LayerDescriptor* layers, SIZE_T count) {
  HRESULT hr = record("CreateSandboxLayer", {{"driver", driver(info)},
                                             {"id", utf8(id)},
                                             {"parent", text_or_null(parent)},
                                             {"layers", descriptors(layers, count)}});
  if (SUCCEEDED(hr)) std::ofstream(std::filesystem::path(id) / "sandbox.vhdx") << "double";
  return hr;
}
__declspec(dllexport) HRESULT WINAPI ActivateLayer(const DriverInfo* info, PCWSTR id) {
  return record("ActivateLayer", {{"driver", driver(info)}, {"id", utf8(id)}});
}
// Counts how many PrepareLayer calls overlap, each lasting the scripted delay.
__declspec(dllexport) HRESULT WINAPI PrepareLayer(const DriverInfo* info, PCWSTR id, const LayerDescriptor* layers,
                                                  SIZE_T count) {
  int delay_ms = 0;
  {
    std::lock_guard lock(state().mutex);
    delay_ms = state().prepare_delay_ms;
    state().most_prepares_in_flight = std::max(state().most_prepares_in_flight, ++state().prepares_in_flight);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  {
    std::lock_guard lock(state().mutex);
    --state().prepares_in_flight;
  }
  return record("PrepareLayer", {{"driver", driver(info)}, {"id", utf8(id)}, {"layers", descriptors(layers, count)}});
}
// With no buffer, reports the length (WCHARs, terminator included); with one, fills it when the
// length passed in is enough, else ERROR_INSUFFICIENT_BUFFER.
__declspec(dllexport) HRESULT WINAPI GetLayerMountPath(const DriverInfo* info, PCWSTR id, SIZE_T* length,
                                                       PWSTR buffer) {
  HRESULT hr = record("GetLayerMountPath", {{"driver", driver(info)},
                                            {"id", utf8(id)},
                                            {"length", length == nullptr ? json(nullptr) : json(*length)},
                                            {"buffer", buffer != nullptr}});
  if (FAILED(hr)) return hr;
  std::wstring path;
  {
    std::lock_guard lock(state().mutex);
    path = wide(state().mount_path);
  }
  const SIZE_T needed = path.size() + 1;
  if (buffer == nullptr) {
    *length = needed;
    return S_OK;
  }
  if (*length < needed) return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
  std::memcpy(buffer, path.c_str(), needed * sizeof(wchar_t));
  *length = needed;
  return S_OK;
}
__declspec(dllexport) HRESULT WINAPI UnprepareLayer(const DriverInfo* info, PCWSTR id) {
  return record("UnprepareLayer", {{"driver", driver(info)}, {"id", utf8(id)}});
}
__declspec(dllexport) HRESULT WINAPI DeactivateLayer(const DriverInfo* info, PCWSTR id) {
  return record("DeactivateLayer", {{"driver", driver(info)}, {"id", utf8(id)}});
}
// Leaves the folder in place, so the tests see that silo removes it.
__declspec(dllexport) HRESULT WINAPI DestroyLayer(const DriverInfo* info, PCWSTR id) {
  return record("DestroyLayer", {{"driver", driver(info)}, {"id", utf8(id)}});
}
__declspec(dllexport) HRESULT WINAPI ProcessBaseImage(PCWSTR path) {
  return record("ProcessBaseImage", {{"path", utf8(path)}});
}
__declspec(dllexport) HRESULT WINAPI ProcessUtilityImage(PCWSTR path) {
  return record("ProcessUtilityImage", {{"path", utf8(path)}});
}
__declspec(dllexport) HRESULT WINAPI GrantVmAccess(PCWSTR vm_id, PCWSTR file_path) {
  return record("GrantVmAccess", {{"vm_id", utf8(vm_id)}, {"path", utf8(file_path)}});
}
// TEST ONLY, NOT vmcompute's algorithm (which is unpublished): a deterministic GUID from two FNV-1a
// hashes of the name, so the same name always gives the same GUID and different names (almost
// surely) different ones. Real layer GUIDs differ.
__declspec(dllexport) HRESULT WINAPI NameToGuid(PCWSTR name, GUID* guid) {
  HRESULT hr = record("NameToGuid", {{"name", utf8(name)}});
  if (FAILED(hr)) return hr;
  if (name == nullptr || guid == nullptr) return E_INVALIDARG;
  const std::wstring text(name);
  const std::uint64_t high = fnv1a(text, 0xCBF29CE484222325ull);
  const std::uint64_t low = fnv1a(text, 0x84222325CBF29CE4ull);
  guid->Data1 = static_cast<unsigned long>(high >> 32);
  guid->Data2 = static_cast<unsigned short>(high >> 16);
  guid->Data3 = static_cast<unsigned short>((high & 0x0FFFu) | 0x5000u);  // looks like a name-based GUID
  for (int i = 0; i < 8; ++i) guid->Data4[i] = static_cast<unsigned char>(low >> (8 * (7 - i)));
  guid->Data4[0] = static_cast<unsigned char>((guid->Data4[0] & 0x3Fu) | 0x80u);
  return S_OK;
}

}  // extern "C"
