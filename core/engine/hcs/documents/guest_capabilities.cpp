#include "core/engine/hcs/documents/guest_capabilities.h"

#include <nlohmann/json.hpp>

namespace silo::hcs {
namespace {

using nlohmann::json;

const json& member(const json& object, const char* key) {
  static const json kNone;
  if (!object.is_object()) return kNone;
  auto found = object.find(key);
  return found == object.end() ? kNone : *found;
}

bool flag(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

std::string guest_connection_query() { return R"({"PropertyTypes":["GuestConnection"]})"; }

Result<GuestCapabilities> parse_guest_capabilities(std::string_view properties) {
  json document = json::parse(properties, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) {
    return make_error(Errc::invalid_argument, "the VM's GuestConnection properties are not a JSON object: " +
                                                  std::string(properties.substr(0, 200)));
  }
  const json& info = member(document, "GuestConnectionInfo");
  const json& caps = member(info, "GuestDefinedCapabilities");
  GuestCapabilities out;
  const json& protocol = member(info, "ProtocolVersion");
  if (protocol.is_number_unsigned()) out.protocol_version = protocol.get<std::uint32_t>();
  out.namespace_add = flag(caps, "NamespaceAddRequestSupported");
  out.signal_process = flag(caps, "SignalProcessSupported");
  out.hostprocess_containers = flag(caps, "HostProcessContainerSupported");
  return out;
}

}  // namespace silo::hcs
