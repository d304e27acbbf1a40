// TEST ONLY: a computestorage.dll double. Each Hcs* export records its name and arguments (wide
// strings as UTF-8) and returns the HRESULT scripted for it, S_OK otherwise. Import and
// initialize create a marker file in the layer folder, as the real calls fill the folder; import
// also copies the source folder's tree into it byte for byte (the real call converts it), so tests
// can read what silo staged.
#include <windows.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

namespace {

std::mutex g_mutex;
nlohmann::json g_calls = nlohmann::json::array();
std::map<std::string, long> g_scripts;

std::string utf8(PCWSTR text) {
  if (text == nullptr) return "<null>";
  int bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(bytes), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), bytes, nullptr, nullptr);
  out.pop_back();
  return out;
}

HRESULT record(const char* function, nlohmann::json args) {
  std::lock_guard lock(g_mutex);
  g_calls.push_back({{"function", function}, {"args", std::move(args)}});
  auto scripted = g_scripts.find(function);
  if (scripted == g_scripts.end()) return S_OK;
  HRESULT hr = static_cast<HRESULT>(scripted->second);
  g_scripts.erase(scripted);
  return hr;
}

void mark(PCWSTR folder) {
  std::ofstream(std::filesystem::path(folder) / "double-marker") << "x";
}

}  // namespace

extern "C" {

__declspec(dllexport) void StorageDoubleScript(const char* function, long hresult) {
  std::lock_guard lock(g_mutex);
  g_scripts[function] = hresult;
}
__declspec(dllexport) void StorageDoubleReset() {
  std::lock_guard lock(g_mutex);
  g_calls = nlohmann::json::array();
  g_scripts.clear();
}
__declspec(dllexport) int StorageDoubleCallLog(char* buffer, int size) {
  std::lock_guard lock(g_mutex);
  std::string text = g_calls.dump();
  if (buffer != nullptr && size >= static_cast<int>(text.size())) std::memcpy(buffer, text.data(), text.size());
  return static_cast<int>(text.size());
}

__declspec(dllexport) HRESULT WINAPI HcsImportLayer(PCWSTR layer, PCWSTR source, PCWSTR data) {
  HRESULT hr = record("HcsImportLayer", {utf8(layer), utf8(source), utf8(data)});
  if (SUCCEEDED(hr)) {
    mark(layer);
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(source, ec)) {
      for (const auto& item : fs::recursive_directory_iterator(source, ec)) {
        const fs::path to = fs::path(layer) / fs::relative(item.path(), source);
        if (item.is_directory()) fs::create_directories(to, ec);
        else fs::copy_file(item.path(), to, fs::copy_options::overwrite_existing, ec);
        if (ec) return HRESULT_FROM_WIN32(ERROR_WRITE_FAULT);
      }
    }
  }
  return hr;
}
__declspec(dllexport) HRESULT WINAPI HcsExportLayer(PCWSTR layer, PCWSTR folder, PCWSTR data, PCWSTR options) {
  return record("HcsExportLayer", {utf8(layer), utf8(folder), utf8(data), utf8(options)});
}
__declspec(dllexport) HRESULT WINAPI HcsDestroyLayer(PCWSTR layer) { return record("HcsDestroyLayer", {utf8(layer)}); }
__declspec(dllexport) HRESULT WINAPI HcsSetupBaseOSLayer(PCWSTR layer, HANDLE, PCWSTR options) {
  return record("HcsSetupBaseOSLayer", {utf8(layer), utf8(options)});
}
__declspec(dllexport) HRESULT WINAPI HcsSetupBaseOSVolume(PCWSTR layer, PCWSTR volume, PCWSTR options) {
  return record("HcsSetupBaseOSVolume", {utf8(layer), utf8(volume), utf8(options)});
}
__declspec(dllexport) HRESULT WINAPI HcsInitializeWritableLayer(PCWSTR layer, PCWSTR data, PCWSTR options) {
  HRESULT hr = record("HcsInitializeWritableLayer", {utf8(layer), utf8(data), utf8(options)});
  if (SUCCEEDED(hr)) mark(layer);
  return hr;
}
__declspec(dllexport) HRESULT WINAPI HcsAttachLayerStorageFilter(PCWSTR layer, PCWSTR data) {
  return record("HcsAttachLayerStorageFilter", {utf8(layer), utf8(data)});
}
__declspec(dllexport) HRESULT WINAPI HcsDetachLayerStorageFilter(PCWSTR layer) {
  return record("HcsDetachLayerStorageFilter", {utf8(layer)});
}
__declspec(dllexport) HRESULT WINAPI HcsFormatWritableLayerVhd(HANDLE) { return record("HcsFormatWritableLayerVhd", {}); }
__declspec(dllexport) HRESULT WINAPI HcsGetLayerVhdMountPath(HANDLE, PWSTR* path) {
  if (path != nullptr) *path = nullptr;
  return record("HcsGetLayerVhdMountPath", {});
}

}  // extern "C"
