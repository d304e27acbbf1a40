#include "core/engine/hcs/network/hcn_documents.h"

#include "core/engine/hcs/documents/results.h"

#include <cstdio>

namespace silo::hcn {
namespace {

using nlohmann::ordered_json;

ordered_json schema_version() { return ordered_json{{"Major", 2}, {"Minor", 0}}; }

std::string hex(std::int32_t hr) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", static_cast<std::uint32_t>(hr));
  return buffer;
}

}  // namespace

ordered_json nat_network(const NatNetworkSpec& spec) {
  ordered_json route = {{"NextHop", spec.gateway}, {"DestinationPrefix", "0.0.0.0/0"}};
  ordered_json subnet = {{"IpAddressPrefix", spec.subnet}, {"Routes", ordered_json::array({route})}};
  ordered_json ipam = {{"Type", "Static"}, {"Subnets", ordered_json::array({subnet})}};
  return ordered_json{{"SchemaVersion", schema_version()},
                      {"Name", spec.name},
                      {"Type", "NAT"},
                      {"Ipams", ordered_json::array({ipam})},
                      {"Policies", ordered_json::array()}};
}

ordered_json network_name_query(std::string_view name) {
  ordered_json filter = {{"Name", name}};
  return ordered_json{{"SchemaVersion", schema_version()}, {"Flags", 0}, {"Filter", filter.dump()}};
}

ordered_json sandbox_endpoint(std::string_view sandbox_id, std::string_view network_id) {
  return ordered_json{{"SchemaVersion", schema_version()},
                      {"Name", "silo-" + std::string(sandbox_id)},
                      {"HostComputeNetwork", network_id},
                      {"Policies", ordered_json::array()}};
}

ordered_json sandbox_namespace() { return ordered_json{{"SchemaVersion", schema_version()}, {"Type", "Host"}}; }

ordered_json namespace_endpoint_request(std::string_view endpoint_id, bool add) {
  return ordered_json{{"ResourceType", "Endpoint"},
                      {"RequestType", add ? "Add" : "Remove"},
                      {"Settings", {{"EndpointId", endpoint_id}}}};
}

ordered_json vm_network_adapter_request(std::string_view endpoint_id, std::string_view mac_address, bool add) {
  ordered_json request = {{"ResourcePath", "VirtualMachine/Devices/NetworkAdapters/" + std::string(endpoint_id)},
                          {"RequestType", add ? "Add" : "Remove"}};
  if (add) request["Settings"] = {{"EndpointId", endpoint_id}, {"MacAddress", mac_address}};
  return request;
}

Result<std::string> first_network_id(std::string_view enumerate_answer) {
  if (enumerate_answer.empty()) return std::string();
  auto ids = nlohmann::json::parse(enumerate_answer, nullptr, false);
  if (!ids.is_array()) {
    return make_error(Errc::internal, "HcnEnumerateNetworks returned no JSON array: " + std::string(enumerate_answer));
  }
  if (ids.empty()) return std::string();
  if (!ids.front().is_string()) return make_error(Errc::internal, "HcnEnumerateNetworks returned a non-string id");
  return ids.front().get<std::string>();
}

Result<std::string> string_property(std::string_view properties, std::string_view name, std::string_view what) {
  auto document = nlohmann::json::parse(properties, nullptr, false);
  std::string key(name);
  if (!document.is_object() || !document.contains(key) || !document[key].is_string() ||
      document[key].get<std::string>().empty()) {
    return make_error(Errc::internal, std::string(what) + " returned no " + key + ": " + std::string(properties));
  }
  return document[key].get<std::string>();
}

Error hcn_error(std::string_view what, std::int32_t hr, std::string_view error_record, std::string_view system_text) {
  auto record = nlohmann::json::parse(error_record, nullptr, false);
  std::string text;
  if (record.is_object() && record.contains("Error") && record["Error"].is_string()) text = record["Error"];
  if (text.empty()) text = system_text.empty() ? std::string("no error text") : std::string(system_text);
  Errc code = hr == hresult::kNetworkNotFound || hr == hresult::kEndpointNotFound ? Errc::not_found
                                                                                  : hcs::errc_for_hresult(hr);
  return make_error(code, std::string(what) + ": " + text + " (HRESULT " + hex(hr) + ")");
}

}  // namespace silo::hcn
