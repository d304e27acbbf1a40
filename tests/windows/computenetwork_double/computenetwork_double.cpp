// TEST ONLY: a stand-in for computenetwork.dll that records each call (documents parsed as JSON,
// GUIDs as text, handles as the id they were opened for) and answers from a script, so the HCN
// client's call sequences can be asserted under Wine, which has no HCN. Unscripted calls succeed:
// enumeration lists the known networks whose Name matches the query's filter, properties give the
// object's ID and, for endpoints, a MAC. See computenetwork_double.h. Never installed or shipped.
#include <windows.h>

#include <objbase.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

struct Answer {
  HRESULT hr = S_OK;
  std::string record;
  bool has_document = false;
  std::string document;
};

struct Object {
  std::string kind;  // network, endpoint, namespace
  std::string id;
};

struct State {
  std::mutex mutex;
  std::map<std::string, std::deque<Answer>> scripts;
  std::map<std::string, std::string> networks;  // name -> id
  std::vector<std::unique_ptr<Object>> handles;
  json log = json::array();
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

// A CoTaskMemAlloc'd UTF-16 copy, as HCN hands out its outputs.
PWSTR allocate(const std::string& text) {
  int chars = MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, nullptr, 0);
  auto* out = static_cast<PWSTR>(CoTaskMemAlloc(static_cast<std::size_t>(chars) * sizeof(wchar_t)));
  MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, out, chars);
  return out;
}

json document(PCWSTR text) {
  std::string raw = utf8(text);
  json parsed = json::parse(raw, nullptr, false);
  return parsed.is_discarded() ? json(raw) : parsed;
}

std::string guid_text(REFGUID g) {
  char out[40];
  std::snprintf(out, sizeof out, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g.Data1, g.Data2, g.Data3,
                g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return out;
}

// Records the call and pops its scripted answer (success when none). Caller holds the lock.
Answer record(State& s, const char* function, json call) {
  call["function"] = function;
  s.log.push_back(std::move(call));
  auto& queue = s.scripts[function];
  if (queue.empty()) return {};
  Answer answer = queue.front();
  queue.pop_front();
  return answer;
}

HRESULT finish(const Answer& answer, PWSTR* error_record) {
  if (error_record != nullptr) *error_record = answer.record.empty() ? nullptr : allocate(answer.record);
  return answer.hr;
}

void* open_handle(State& s, const std::string& kind, const std::string& id) {
  s.handles.push_back(std::make_unique<Object>(Object{kind, id}));
  return s.handles.back().get();
}

std::string handle_id(void* handle) { return handle == nullptr ? "" : static_cast<Object*>(handle)->id; }

HRESULT query(const char* function, void* handle, PWSTR* properties, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  Answer answer = record(s, function, {{"handle", handle_id(handle)}});
  if (properties != nullptr) *properties = nullptr;
  if (SUCCEEDED(answer.hr) && properties != nullptr) {
    json props = {{"ID", handle_id(handle)}};
    if (std::strcmp(function, "HcnQueryEndpointProperties") == 0) props["MacAddress"] = "00-15-5D-52-C0-0A";
    *properties = allocate(answer.has_document ? answer.document : props.dump());
  }
  return finish(answer, error_record);
}

HRESULT create(const char* function, const std::string& kind, REFGUID id, PCWSTR settings, void* parent,
               void** out, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  json call = {{"id", guid_text(id)}, {"settings", document(settings)}};
  if (parent != nullptr) call["network"] = handle_id(parent);
  Answer answer = record(s, function, std::move(call));
  *out = nullptr;
  if (SUCCEEDED(answer.hr)) {
    *out = open_handle(s, kind, guid_text(id));
    json parsed = document(settings);
    if (kind == "network" && parsed.is_object()) s.networks[parsed.value("Name", "")] = guid_text(id);
  }
  return finish(answer, error_record);
}

HRESULT open(const char* function, const std::string& kind, REFGUID id, void** out, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  Answer answer = record(s, function, {{"id", guid_text(id)}});
  *out = SUCCEEDED(answer.hr) ? open_handle(s, kind, guid_text(id)) : nullptr;
  return finish(answer, error_record);
}

HRESULT by_id(const char* function, REFGUID id, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  return finish(record(s, function, {{"id", guid_text(id)}}), error_record);
}

HRESULT close(const char* function, void* handle) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  return record(s, function, {{"handle", handle_id(handle)}}).hr;
}

}  // namespace

extern "C" {

__declspec(dllexport) HRESULT WINAPI HcnEnumerateNetworks(PCWSTR query_text, PWSTR* networks, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  json query_doc = document(query_text);
  Answer answer = record(s, "HcnEnumerateNetworks", {{"query", query_doc}});
  *networks = nullptr;
  if (SUCCEEDED(answer.hr)) {
    json filter = json::parse(query_doc.value("Filter", std::string("{}")), nullptr, false);
    std::string name = filter.is_object() ? filter.value("Name", "") : "";
    json ids = json::array();
    for (const auto& [known, id] : s.networks) {
      if (known == name) ids.push_back(id);
    }
    *networks = allocate(answer.has_document ? answer.document : ids.dump());
  }
  return finish(answer, error_record);
}

__declspec(dllexport) HRESULT WINAPI HcnCreateNetwork(REFGUID id, PCWSTR settings, void** network, PWSTR* error_record) {
  return create("HcnCreateNetwork", "network", id, settings, nullptr, network, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnOpenNetwork(REFGUID id, void** network, PWSTR* error_record) {
  return open("HcnOpenNetwork", "network", id, network, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnQueryNetworkProperties(void* network, PCWSTR, PWSTR* properties,
                                                               PWSTR* error_record) {
  return query("HcnQueryNetworkProperties", network, properties, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnCloseNetwork(void* network) { return close("HcnCloseNetwork", network); }

__declspec(dllexport) HRESULT WINAPI HcnCreateEndpoint(void* network, REFGUID id, PCWSTR settings, void** endpoint,
                                                       PWSTR* error_record) {
  return create("HcnCreateEndpoint", "endpoint", id, settings, network, endpoint, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnOpenEndpoint(REFGUID id, void** endpoint, PWSTR* error_record) {
  return open("HcnOpenEndpoint", "endpoint", id, endpoint, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnQueryEndpointProperties(void* endpoint, PCWSTR, PWSTR* properties,
                                                                PWSTR* error_record) {
  return query("HcnQueryEndpointProperties", endpoint, properties, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnDeleteEndpoint(REFGUID id, PWSTR* error_record) {
  return by_id("HcnDeleteEndpoint", id, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnCloseEndpoint(void* endpoint) { return close("HcnCloseEndpoint", endpoint); }

__declspec(dllexport) HRESULT WINAPI HcnCreateNamespace(REFGUID id, PCWSTR settings, void** ns, PWSTR* error_record) {
  return create("HcnCreateNamespace", "namespace", id, settings, nullptr, ns, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnOpenNamespace(REFGUID id, void** ns, PWSTR* error_record) {
  return open("HcnOpenNamespace", "namespace", id, ns, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnModifyNamespace(void* ns, PCWSTR settings, PWSTR* error_record) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  return finish(record(s, "HcnModifyNamespace", {{"handle", handle_id(ns)}, {"settings", document(settings)}}),
                error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnQueryNamespaceProperties(void* ns, PCWSTR, PWSTR* properties,
                                                                 PWSTR* error_record) {
  return query("HcnQueryNamespaceProperties", ns, properties, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnDeleteNamespace(REFGUID id, PWSTR* error_record) {
  return by_id("HcnDeleteNamespace", id, error_record);
}
__declspec(dllexport) HRESULT WINAPI HcnCloseNamespace(void* ns) { return close("HcnCloseNamespace", ns); }

__declspec(dllexport) void HcnDoubleScript(const char* function, long hresult, const char* error_record,
                                           const char* document_text) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  Answer answer{static_cast<HRESULT>(hresult), error_record == nullptr ? "" : error_record, document_text != nullptr,
                document_text == nullptr ? "" : document_text};
  s.scripts[function].push_back(answer);
}

__declspec(dllexport) void HcnDoubleReset(void) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.scripts.clear();
  s.networks.clear();
  s.handles.clear();
  s.log = json::array();
}

__declspec(dllexport) void HcnDoubleAddNetwork(const char* name, const char* id) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.networks[name] = id;
}

__declspec(dllexport) int HcnDoubleCallLog(char* buffer, int size) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  std::string text = s.log.dump();
  if (buffer != nullptr && size > 0) {
    int n = static_cast<int>(text.size()) < size - 1 ? static_cast<int>(text.size()) : size - 1;
    std::memcpy(buffer, text.data(), static_cast<std::size_t>(n));
    buffer[n] = '\0';
  }
  return static_cast<int>(text.size()) + 1;
}

}  // extern "C"
