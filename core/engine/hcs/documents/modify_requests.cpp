#include "core/engine/hcs/documents/modify_requests.h"

namespace silo::hcs {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kSharesPath = "VirtualMachine/Devices/VirtualSmb/Shares";

ordered_json share(std::string_view name, std::string_view host_path, bool read_only) {
  ordered_json options = ordered_json::object();
  if (read_only) {
    options["ReadOnly"] = true;
    options["ShareRead"] = true;
    options["CacheIo"] = true;
    options["PseudoOplocks"] = true;
  }
  ordered_json out;
  out["Name"] = name;
  out["Path"] = host_path;
  out["Options"] = std::move(options);
  return out;
}

}  // namespace

ordered_json add_vsmb_share_request(std::string_view name, std::string_view host_path, bool read_only) {
  ordered_json out;
  out["ResourcePath"] = kSharesPath;
  out["RequestType"] = "Add";
  out["Settings"] = share(name, host_path, read_only);
  return out;
}

ordered_json remove_vsmb_share_request(std::string_view name, std::string_view host_path) {
  ordered_json settings;
  settings["Name"] = name;
  settings["Path"] = host_path;
  ordered_json out;
  out["ResourcePath"] = kSharesPath;
  out["RequestType"] = "Remove";
  out["Settings"] = std::move(settings);
  return out;
}

}  // namespace silo::hcs
