#include "core/engine/hcs/network/hcn_documents.h"

#include "core/engine/hcs/documents/document_parts.h"
#include "core/engine/hcs/documents/results.h"

#include <cstdio>
#include <initializer_list>

namespace silo::hcn {
namespace {

using nlohmann::ordered_json;

ordered_json schema_version() { return ordered_json{{"Major", 2}, {"Minor", 0}}; }

std::string hex(std::int32_t hr) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", static_cast<std::uint32_t>(hr));
  return buffer;
}

Result<ordered_json> properties_object(std::string_view text, std::string_view what) {
  auto parsed = ordered_json::parse(text, nullptr, false);
  if (!parsed.is_object()) {
    return make_error(Errc::invalid_argument, std::string(what) + " returned no JSON object: " + std::string(text));
  }
  return hcs::parts::ok(std::move(parsed));
}

// Go's omitempty: false, 0, "", null and empty lists or maps are left out. (A RawMessage or an
// interface{} holding an empty object is not empty to Go, but HCN sends none silo passes on.)
bool go_empty(const ordered_json& value) {
  if (value.is_null()) return true;
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number()) return value == 0;
  if (value.is_string()) return value.get_ref<const std::string&>().empty();
  return (value.is_array() || value.is_object()) && value.empty();
}

void copy_set(const ordered_json& from, ordered_json& to, const char* key) {
  if (from.is_object() && from.contains(key) && !go_empty(from[key])) to[key] = from[key];
}

// A list of structs: `always` are fields without omitempty, `optional` fields with it.
void copy_list(const ordered_json& from, ordered_json& to, const char* key, std::initializer_list<const char*> always,
               std::initializer_list<const char*> optional) {
  if (!from.contains(key) || !from[key].is_array() || from[key].empty()) return;
  ordered_json list = ordered_json::array();
  for (const ordered_json& item : from[key]) {
    ordered_json entry = ordered_json::object();
    for (const char* field : always) {
      entry[field] = item.is_object() && item.contains(field) ? item[field] : ordered_json("");
    }
    for (const char* field : optional) copy_set(item, entry, field);
    list.push_back(std::move(entry));
  }
  to[key] = std::move(list);
}

// hcn.Version: Major and Minor without omitempty, zero when HCN gave none.
ordered_json version_of(const ordered_json& in) {
  ordered_json version = {{"Major", 0}, {"Minor", 0}};
  if (in.contains("SchemaVersion") && in["SchemaVersion"].is_object()) {
    for (const char* key : {"Major", "Minor"}) {
      if (in["SchemaVersion"].contains(key)) version[key] = in["SchemaVersion"][key];
    }
  }
  return version;
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

Result<ordered_json> namespace_for_guest(std::string_view hcn_properties, std::string_view what) {
  auto parsed = properties_object(hcn_properties, what);
  if (!parsed) return parsed.error();
  const ordered_json& in = *parsed;
  ordered_json out = ordered_json::object();
  copy_set(in, out, "ID");
  copy_set(in, out, "NamespaceId");
  copy_set(in, out, "Type");
  if (in.contains("Resources") && in["Resources"].is_array() && !in["Resources"].empty()) {
    ordered_json resources = ordered_json::array();
    for (const ordered_json& resource : in["Resources"]) {  // NamespaceResource: Type and Data, no omitempty
      ordered_json entry = ordered_json::object();
      entry["Type"] = resource.is_object() && resource.contains("Type") ? resource["Type"] : ordered_json("");
      entry["Data"] = resource.is_object() && resource.contains("Data") ? resource["Data"] : ordered_json(nullptr);
      resources.push_back(std::move(entry));
    }
    out["Resources"] = std::move(resources);
  }
  out["SchemaVersion"] = version_of(in);
  return hcs::parts::ok(std::move(out));
}

Result<ordered_json> endpoint_for_guest(std::string_view hcn_properties, std::string_view what) {
  auto parsed = properties_object(hcn_properties, what);
  if (!parsed) return parsed.error();
  const ordered_json& in = *parsed;
  ordered_json out = ordered_json::object();
  for (const char* key : {"ID", "Name", "HostComputeNetwork", "HostComputeNamespace"}) copy_set(in, out, key);
  copy_list(in, out, "Policies", {"Type"}, {"Settings"});
  copy_list(in, out, "IpConfigurations", {}, {"IpAddress", "PrefixLength"});
  ordered_json dns = ordered_json::object();
  if (in.contains("Dns")) {
    for (const char* key : {"Domain", "Search", "ServerList", "Options"}) copy_set(in["Dns"], dns, key);
  }
  out["Dns"] = std::move(dns);
  copy_list(in, out, "Routes", {}, {"NextHop", "DestinationPrefix", "Metric"});
  copy_set(in, out, "MacAddress");
  copy_set(in, out, "Flags");
  ordered_json health = ordered_json::object();
  ordered_json extra = ordered_json::object();
  if (in.contains("Health") && in["Health"].is_object()) {
    const ordered_json& given = in["Health"];
    // Data is an interface{}: Go decodes an object into a map and writes its keys sorted, which is
    // what nlohmann::json's std::map order is.
    if (given.contains("Data") && !given["Data"].is_null()) health["Data"] = nlohmann::json(given["Data"]);
    if (given.contains("Extra")) {
      for (const char* key : {"Resources", "SharedContainers", "LayeredOn", "SwitchGuid", "UtilityVM", "VirtualMachine"}) {
        copy_set(given["Extra"], extra, key);
      }
    }
  }
  health["Extra"] = std::move(extra);
  out["Health"] = std::move(health);
  out["SchemaVersion"] = version_of(in);
  return hcs::parts::ok(std::move(out));
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
