#include "core/engine/hcs/network/hcn_client.h"

#include "core/engine/hcs/computecore/wide_text.h"
#include "core/engine/hcs/network/hcn_documents.h"
#include "core/platform/windows/win32_error.h"

#include <objbase.h>

#include <cstdio>

namespace silo::hcn {
namespace {

using hcs::computecore::to_utf8;
using hcs::computecore::to_wide;

// HCN allocates its outputs with CoTaskMemAlloc (unlike HCS's LocalAlloc).
std::string take(PWSTR text) {
  if (text == nullptr) return {};
  std::string out = to_utf8(text);
  CoTaskMemFree(text);
  return out;
}

Result<void> check(HRESULT hr, PWSTR record, std::string_view what) {
  std::string text = take(record);
  if (SUCCEEDED(hr)) return {};
  return hcn_error(what, hr, text, platform::windows::system_message(static_cast<std::uint32_t>(hr)));
}

std::string with(std::string_view call, std::string_view subject) {
  return subject.empty() ? std::string(call) : std::string(call) + " " + std::string(subject);
}

// {"SchemaVersion":{2,0},"Flags":0}: every property, as hcsshim's defaultQuery.
const std::wstring& properties_query() {
  static const std::wstring query = L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":0}";
  return query;
}

// HcnOpenNetwork, HcnOpenEndpoint and HcnOpenNamespace share one shape: GUID in, handle out.
template <typename Handle>
Result<HcnHandle<Handle>> open_by_id(HRESULT(WINAPI* open)(REFGUID, Handle*, PWSTR*),
                                     typename HcnHandle<Handle>::CloseFn close, std::string_view call,
                                     std::string_view id) {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  Handle handle = nullptr;
  PWSTR record = nullptr;
  HRESULT hr = open(*guid, &handle, &record);
  SILO_TRY(check(hr, record, with(call, id)));
  return HcnHandle<Handle>(handle, close);
}

}  // namespace

Result<GUID> parse_guid(std::string_view text) {
  GUID guid{};
  unsigned long d1 = 0;
  unsigned d2 = 0, d3 = 0, b[8] = {};
  int end = 0;
  std::string copy(text);
  int read = std::sscanf(copy.c_str(), "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x%n", &d1, &d2, &d3, &b[0], &b[1], &b[2],
                         &b[3], &b[4], &b[5], &b[6], &b[7], &end);
  if (read != 11 || copy.size() != 36 || end != 36) {
    return make_error(Errc::invalid_argument, "not a GUID: \"" + copy + "\"");
  }
  guid.Data1 = d1;
  guid.Data2 = static_cast<unsigned short>(d2);
  guid.Data3 = static_cast<unsigned short>(d3);
  for (int i = 0; i < 8; ++i) guid.Data4[i] = static_cast<unsigned char>(b[i]);
  return guid;
}

std::string format_guid(const GUID& g) {
  char out[40];
  std::snprintf(out, sizeof out, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g.Data1, g.Data2, g.Data3,
                g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return out;
}

Result<std::string> new_guid() {
  GUID guid{};
  HRESULT hr = CoCreateGuid(&guid);
  if (FAILED(hr)) return make_error(Errc::internal, "CoCreateGuid failed: " + platform::windows::system_message(hr));
  return format_guid(guid);
}

Result<std::string> HcnClient::find_network(std::string_view name) const {
  PWSTR answer = nullptr, record = nullptr;
  HRESULT hr = api_->enumerate_networks(to_wide(network_name_query(name).dump()).c_str(), &answer, &record);
  std::string ids = take(answer);
  SILO_TRY(check(hr, record, with("HcnEnumerateNetworks", name)));
  return first_network_id(ids);
}

Result<NetworkHandle> HcnClient::open_network(std::string_view id) const {
  return open_by_id(api_->open_network, api_->close_network, "HcnOpenNetwork", id);
}

Result<NetworkHandle> HcnClient::create_network(std::string_view id, const nlohmann::ordered_json& settings) const {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  HCN_NETWORK handle = nullptr;
  PWSTR record = nullptr;
  HRESULT hr = api_->create_network(*guid, to_wide(settings.dump()).c_str(), &handle, &record);
  SILO_TRY(check(hr, record, with("HcnCreateNetwork", settings.value("Name", ""))));
  return NetworkHandle(handle, api_->close_network);
}

Result<std::string> HcnClient::query_network(const NetworkHandle& network) const {
  PWSTR properties = nullptr, record = nullptr;
  HRESULT hr = api_->query_network_properties(network.get(), properties_query().c_str(), &properties, &record);
  std::string text = take(properties);
  SILO_TRY(check(hr, record, "HcnQueryNetworkProperties"));
  return text;
}

Result<EndpointHandle> HcnClient::create_endpoint(const NetworkHandle& network, std::string_view id,
                                                  const nlohmann::ordered_json& settings) const {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  HCN_ENDPOINT handle = nullptr;
  PWSTR record = nullptr;
  HRESULT hr = api_->create_endpoint(network.get(), *guid, to_wide(settings.dump()).c_str(), &handle, &record);
  SILO_TRY(check(hr, record, with("HcnCreateEndpoint", settings.value("Name", ""))));
  return EndpointHandle(handle, api_->close_endpoint);
}

Result<EndpointHandle> HcnClient::open_endpoint(std::string_view id) const {
  return open_by_id(api_->open_endpoint, api_->close_endpoint, "HcnOpenEndpoint", id);
}

Result<std::string> HcnClient::query_endpoint(const EndpointHandle& endpoint) const {
  PWSTR properties = nullptr, record = nullptr;
  HRESULT hr = api_->query_endpoint_properties(endpoint.get(), properties_query().c_str(), &properties, &record);
  std::string text = take(properties);
  SILO_TRY(check(hr, record, "HcnQueryEndpointProperties"));
  return text;
}

Result<void> HcnClient::delete_endpoint(std::string_view id) const {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  PWSTR record = nullptr;
  HRESULT hr = api_->delete_endpoint(*guid, &record);
  return check(hr, record, with("HcnDeleteEndpoint", id));
}

Result<NamespaceHandle> HcnClient::create_namespace(std::string_view id,
                                                    const nlohmann::ordered_json& settings) const {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  HCN_NAMESPACE handle = nullptr;
  PWSTR record = nullptr;
  HRESULT hr = api_->create_namespace(*guid, to_wide(settings.dump()).c_str(), &handle, &record);
  SILO_TRY(check(hr, record, with("HcnCreateNamespace", id)));
  return NamespaceHandle(handle, api_->close_namespace);
}

Result<NamespaceHandle> HcnClient::open_namespace(std::string_view id) const {
  return open_by_id(api_->open_namespace, api_->close_namespace, "HcnOpenNamespace", id);
}

Result<void> HcnClient::modify_namespace(const NamespaceHandle& ns, std::string_view id,
                                         const nlohmann::ordered_json& request) const {
  PWSTR record = nullptr;
  HRESULT hr = api_->modify_namespace(ns.get(), to_wide(request.dump()).c_str(), &record);
  return check(hr, record, with("HcnModifyNamespace", id));
}

Result<std::string> HcnClient::query_namespace(const NamespaceHandle& ns) const {
  PWSTR properties = nullptr, record = nullptr;
  HRESULT hr = api_->query_namespace_properties(ns.get(), properties_query().c_str(), &properties, &record);
  std::string text = take(properties);
  SILO_TRY(check(hr, record, "HcnQueryNamespaceProperties"));
  return text;
}

Result<void> HcnClient::delete_namespace(std::string_view id) const {
  auto guid = parse_guid(id);
  if (!guid) return guid.error();
  PWSTR record = nullptr;
  HRESULT hr = api_->delete_namespace(*guid, &record);
  return check(hr, record, with("HcnDeleteNamespace", id));
}

}  // namespace silo::hcn
