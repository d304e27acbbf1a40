// The HCN client and per-sandbox networking against the TEST-ONLY computenetwork.dll double, under
// Wine: exact call sequences, documents, rollback and error text.
#include "core/engine/hcs/network/sandbox_network.h"

#include "tests/windows/computenetwork_double/computenetwork_double.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace silo::hcn {
namespace {

using json = nlohmann::json;
using Names = std::vector<std::string>;

constexpr const char* kExistingNetwork = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
constexpr long kAccessDenied = static_cast<long>(0x80070005);
constexpr const char* kDeniedRecord = R"({"Success":false,"Error":"Access is denied.","ErrorCode":2147942405})";

template <typename F>
F lookup(HMODULE module, const char* name) {
  return reinterpret_cast<F>(reinterpret_cast<void*>(GetProcAddress(module, name)));
}

class SandboxNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    module_ = LoadLibraryA(SILO_HCN_DOUBLE_PATH);
    ASSERT_NE(module_, nullptr) << "cannot load the double " << SILO_HCN_DOUBLE_PATH;
    script_ = lookup<HcnDoubleScriptFn>(module_, "HcnDoubleScript");
    add_network_ = lookup<HcnDoubleAddNetworkFn>(module_, "HcnDoubleAddNetwork");
    call_log_ = lookup<HcnDoubleCallLogFn>(module_, "HcnDoubleCallLog");
    lookup<HcnDoubleResetFn>(module_, "HcnDoubleReset")();
    HMODULE module = module_;
    auto api = resolve_compute_network([module](std::string_view name) -> Result<void*> {
      void* address = reinterpret_cast<void*>(GetProcAddress(module, std::string(name).c_str()));
      if (address == nullptr) return make_error(Errc::not_found, "double lacks " + std::string(name));
      return address;
    });
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::make_shared<const ComputeNetworkApi>(*api);
  }

  json calls() const {
    int size = call_log_(nullptr, 0);
    std::string text(static_cast<std::size_t>(size), '\0');
    call_log_(text.data(), size);
    text.resize(static_cast<std::size_t>(size - 1));
    return json::parse(text);
  }

  Names names() const {
    Names out;
    for (const json& call : calls()) out.push_back(call["function"].get<std::string>());
    return out;
  }

  json find_call(const std::string& name) const {
    for (const json& call : calls()) {
      if (call["function"] == name) return call;
    }
    ADD_FAILURE() << "no call " << name;
    return {};
  }

  HMODULE module_ = nullptr;
  HcnDoubleScriptFn script_ = nullptr;
  HcnDoubleAddNetworkFn add_network_ = nullptr;
  HcnDoubleCallLogFn call_log_ = nullptr;
  std::shared_ptr<const ComputeNetworkApi> api_;
};

TEST_F(SandboxNetworkTest, ReusesTheNatNetworkWhenItExists) {
  add_network_("silo-nat", kExistingNetwork);
  SandboxNetworking networking(api_);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_TRUE(attached) << attached.error().message;
  EXPECT_EQ(attached->network_id, kExistingNetwork);
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnOpenNetwork", "HcnCreateNamespace",
                                              "HcnCreateEndpoint", "HcnQueryEndpointProperties", "HcnModifyNamespace",
                                              "HcnCloseEndpoint", "HcnCloseNamespace", "HcnCloseNetwork"));
  EXPECT_EQ(find_call("HcnEnumerateNetworks")["query"]["Filter"], R"({"Name":"silo-nat"})");
  EXPECT_EQ(find_call("HcnOpenNetwork")["id"], kExistingNetwork);
}

TEST_F(SandboxNetworkTest, CreatesTheNatNetworkWhenMissingAndWiresTheNamespace) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_TRUE(attached) << attached.error().message;
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork", "HcnCreateNamespace",
                                              "HcnCreateEndpoint", "HcnQueryEndpointProperties", "HcnModifyNamespace",
                                              "HcnCloseEndpoint", "HcnCloseNamespace", "HcnCloseNetwork"));
  json network = find_call("HcnCreateNetwork");
  EXPECT_EQ(network["settings"], json::parse(nat_network({}).dump()));
  EXPECT_EQ(network["id"], attached->network_id);
  json ns = find_call("HcnCreateNamespace");
  EXPECT_EQ(ns["id"], attached->namespace_id);
  EXPECT_EQ(ns["settings"], json::parse(sandbox_namespace().dump()));
  json endpoint = find_call("HcnCreateEndpoint");
  EXPECT_EQ(endpoint["id"], attached->endpoint_id);
  EXPECT_EQ(endpoint["network"], attached->network_id);
  EXPECT_EQ(endpoint["settings"]["Name"], "silo-web");
  EXPECT_EQ(endpoint["settings"]["HostComputeNetwork"], attached->network_id);
  json modify = find_call("HcnModifyNamespace");
  EXPECT_EQ(modify["handle"], attached->namespace_id);
  EXPECT_EQ(modify["settings"], json::parse(namespace_endpoint_request(attached->endpoint_id, true).dump()));
  EXPECT_EQ(attached->mac_address, "00-15-5D-52-C0-0A");
  EXPECT_EQ(adapter_add_request(*attached)["Settings"]["MacAddress"], "00-15-5D-52-C0-0A");

  // The second sandbox finds the network the first one created.
  ASSERT_TRUE(networking.attach_process_sandbox("db"));
  EXPECT_EQ(calls()[9]["function"], "HcnEnumerateNetworks");
  EXPECT_EQ(calls()[10]["function"], "HcnOpenNetwork");
  EXPECT_EQ(calls()[10]["id"], attached->network_id);
}

TEST_F(SandboxNetworkTest, DetachRemovesTheEndpointThenDeletesInReverseOrder) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_TRUE(attached) << attached.error().message;
  std::size_t before = calls().size();
  auto detached = networking.detach(*attached);
  ASSERT_TRUE(detached) << detached.error().message;
  json log = calls();
  Names after;
  for (std::size_t i = before; i < log.size(); ++i) after.push_back(log[i]["function"]);
  EXPECT_THAT(after, ::testing::ElementsAre("HcnOpenNamespace", "HcnModifyNamespace", "HcnCloseNamespace",
                                            "HcnDeleteEndpoint", "HcnDeleteNamespace"));
  EXPECT_EQ(log[before + 1]["settings"]["RequestType"], "Remove");
  EXPECT_EQ(log[before + 3]["id"], attached->endpoint_id);
  EXPECT_EQ(log[before + 4]["id"], attached->namespace_id);
}

TEST_F(SandboxNetworkTest, DetachTreatsAlreadyDeletedPartsAsDone) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_TRUE(attached);
  script_("HcnDeleteEndpoint", static_cast<long>(hresult::kEndpointNotFound), nullptr, nullptr);
  EXPECT_TRUE(networking.detach(*attached));
}

TEST_F(SandboxNetworkTest, FailureAddingTheEndpointRollsBackEndpointAndNamespace) {
  SandboxNetworking networking(api_);
  script_("HcnModifyNamespace", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().code, Errc::permission_denied);
  std::string ns_id = find_call("HcnCreateNamespace")["id"];
  EXPECT_EQ(attached.error().message, "HcnModifyNamespace " + ns_id + ": Access is denied. (HRESULT 0x80070005)");
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork", "HcnCreateNamespace",
                                              "HcnCreateEndpoint", "HcnQueryEndpointProperties", "HcnModifyNamespace",
                                              "HcnDeleteEndpoint", "HcnCloseEndpoint", "HcnDeleteNamespace",
                                              "HcnCloseNamespace", "HcnCloseNetwork"));
  EXPECT_EQ(find_call("HcnDeleteEndpoint")["id"], find_call("HcnCreateEndpoint")["id"]);
  EXPECT_EQ(find_call("HcnDeleteNamespace")["id"], ns_id);
}

TEST_F(SandboxNetworkTest, FailureCreatingTheEndpointDeletesTheNamespaceOnly) {
  SandboxNetworking networking(api_);
  script_("HcnCreateEndpoint", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().message, "HcnCreateEndpoint silo-web: Access is denied. (HRESULT 0x80070005)");
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork", "HcnCreateNamespace",
                                              "HcnCreateEndpoint", "HcnDeleteNamespace", "HcnCloseNamespace",
                                              "HcnCloseNetwork"));
}

TEST_F(SandboxNetworkTest, NetworkCreateErrorNamesTheNetworkAndHcnText) {
  SandboxNetworking networking(api_, NatNetworkSpec{"lab", "10.88.0.0/24", "10.88.0.1"});
  script_("HcnCreateNetwork", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_process_sandbox("web");
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().message, "HcnCreateNetwork lab: Access is denied. (HRESULT 0x80070005)");
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork"));
}

TEST_F(SandboxNetworkTest, GuidsRoundTrip) {
  auto guid = parse_guid(kExistingNetwork);
  ASSERT_TRUE(guid);
  EXPECT_EQ(format_guid(*guid), kExistingNetwork);
  EXPECT_FALSE(parse_guid("not-a-guid"));
}

TEST(ComputeNetworkLoad, SystemDllIsUnavailableUnderWine) {
  auto api = load_system_compute_network();
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace silo::hcn
