// Typed calls on computenetwork.dll: every call frees HCN's output and error record
// (CoTaskMemFree, as the HCN reference says), and a failure becomes an Error naming the call, the
// object and HCN's own text (hcn_error). Handles close themselves (HcnClose*).
#pragma once

#include "core/engine/hcs/network/compute_network_api.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace silo::hcn {

// An open HCN network, endpoint or namespace; the matching HcnClose* in the destructor.
template <typename Handle>
class HcnHandle {
 public:
  using CloseFn = HRESULT(WINAPI*)(Handle);
  HcnHandle(Handle handle, CloseFn close) : handle_(handle), close_(close) {}
  HcnHandle(HcnHandle&& other) noexcept : handle_(other.handle_), close_(other.close_) { other.handle_ = nullptr; }
  HcnHandle(const HcnHandle&) = delete;
  HcnHandle& operator=(const HcnHandle&) = delete;
  HcnHandle& operator=(HcnHandle&&) = delete;
  ~HcnHandle() {
    if (handle_ != nullptr) close_(handle_);
  }
  Handle get() const { return handle_; }

 private:
  Handle handle_;
  CloseFn close_;
};

using NetworkHandle = HcnHandle<HCN_NETWORK>;
using EndpointHandle = HcnHandle<HCN_ENDPOINT>;
using NamespaceHandle = HcnHandle<HCN_NAMESPACE>;

// "5a4b3c2d-..." <-> GUID; invalid_argument for anything else.
Result<GUID> parse_guid(std::string_view text);
std::string format_guid(const GUID& guid);
// A fresh random id (CoCreateGuid). silo picks the ids of what it creates, so a failure right
// after a create can still delete it by id.
Result<std::string> new_guid();

class HcnClient {
 public:
  explicit HcnClient(std::shared_ptr<const ComputeNetworkApi> api) : api_(std::move(api)) {}

  // The id of the first network called `name`, or "" when there is none.
  Result<std::string> find_network(std::string_view name) const;
  Result<NetworkHandle> open_network(std::string_view id) const;
  Result<NetworkHandle> create_network(std::string_view id, const nlohmann::ordered_json& settings) const;
  Result<std::string> query_network(const NetworkHandle& network) const;

  Result<EndpointHandle> create_endpoint(const NetworkHandle& network, std::string_view id,
                                         const nlohmann::ordered_json& settings) const;
  Result<EndpointHandle> open_endpoint(std::string_view id) const;
  Result<std::string> query_endpoint(const EndpointHandle& endpoint) const;
  Result<void> delete_endpoint(std::string_view id) const;

  Result<NamespaceHandle> create_namespace(std::string_view id, const nlohmann::ordered_json& settings) const;
  Result<NamespaceHandle> open_namespace(std::string_view id) const;
  Result<void> modify_namespace(const NamespaceHandle& ns, std::string_view id,
                                const nlohmann::ordered_json& request) const;
  Result<std::string> query_namespace(const NamespaceHandle& ns) const;
  Result<void> delete_namespace(std::string_view id) const;

 private:
  std::shared_ptr<const ComputeNetworkApi> api_;
};

}  // namespace silo::hcn
