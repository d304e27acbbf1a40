// The HCN client and per-sandbox networking against the TEST-ONLY computenetwork.dll double, under
// Wine: exact call sequences, documents, rollback and error text.
#include "core/engine/hcs/network/sandbox_network.h"

#include "tests/windows/computenetwork_double/computenetwork_double_handle.h"

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

class SandboxNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(double_.load(SILO_HCN_DOUBLE_PATH), "");
    api_ = double_.api();
  }

  json calls() const { return double_.calls(); }

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

  testing::ComputeNetworkDoubleHandle double_;
  std::shared_ptr<const ComputeNetworkApi> api_;
};

TEST_F(SandboxNetworkTest, ReusesTheNatNetworkWhenItExists) {
  double_.add_network("silo-nat", kExistingNetwork);
  SandboxNetworking networking(api_);
  auto attached = networking.attach_sandbox("web");
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
  auto attached = networking.attach_sandbox("web");
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

  // The second sandbox finds the network the first one created.
  ASSERT_TRUE(networking.attach_sandbox("db"));
  EXPECT_EQ(calls()[9]["function"], "HcnEnumerateNetworks");
  EXPECT_EQ(calls()[10]["function"], "HcnOpenNetwork");
  EXPECT_EQ(calls()[10]["id"], attached->network_id);
}

TEST_F(SandboxNetworkTest, DetachRemovesTheEndpointThenDeletesInReverseOrder) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_sandbox("web");
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
  auto attached = networking.attach_sandbox("web");
  ASSERT_TRUE(attached);
  double_.script("HcnDeleteEndpoint", static_cast<long>(hresult::kEndpointNotFound), nullptr, nullptr);
  EXPECT_TRUE(networking.detach(*attached));
}

TEST_F(SandboxNetworkTest, FailureAddingTheEndpointRollsBackEndpointAndNamespace) {
  SandboxNetworking networking(api_);
  double_.script("HcnModifyNamespace", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_sandbox("web");
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
  double_.script("HcnCreateEndpoint", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_sandbox("web");
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().message, "HcnCreateEndpoint silo-web: Access is denied. (HRESULT 0x80070005)");
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork", "HcnCreateNamespace",
                                              "HcnCreateEndpoint", "HcnDeleteNamespace", "HcnCloseNamespace",
                                              "HcnCloseNetwork"));
}

TEST_F(SandboxNetworkTest, NetworkCreateErrorNamesTheNetworkAndHcnText) {
  SandboxNetworking networking(api_, NatNetworkSpec{"lab", "10.88.0.0/24", "10.88.0.1"});
  double_.script("HcnCreateNetwork", kAccessDenied, kDeniedRecord, nullptr);
  auto attached = networking.attach_sandbox("web");
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().message, "HcnCreateNetwork lab: Access is denied. (HRESULT 0x80070005)");
  EXPECT_THAT(names(), ::testing::ElementsAre("HcnEnumerateNetworks", "HcnCreateNetwork"));
}

TEST_F(SandboxNetworkTest, ForGuestReadsTheNamespaceAndEndpointBackAsHcsshimsStructsCarryThem) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_sandbox("web");
  ASSERT_TRUE(attached) << attached.error().message;
  const std::size_t before = calls().size();
  const std::string ns_doc = R"({"ID":")" + attached->namespace_id + R"(","Type":"Host","State":1,"Resources":[{"Type":"Endpoint","Data":{"ID":")" +
                             attached->endpoint_id + R"("}}]})";
  const std::string endpoint_doc = R"({"ID":")" + attached->endpoint_id +
                                   R"(","VirtualNetworkName":"silo-nat","MacAddress":"00-15-5D-52-C0-0A"})";
  double_.script("HcnQueryNamespaceProperties", 0, nullptr, ns_doc.c_str());
  double_.script("HcnQueryEndpointProperties", 0, nullptr, endpoint_doc.c_str());

  auto guest = networking.for_guest(*attached);
  ASSERT_TRUE(guest) << guest.error().message;
  json log = calls();
  Names after;
  for (std::size_t i = before; i < log.size(); ++i) after.push_back(log[i]["function"]);
  EXPECT_THAT(after, ::testing::ElementsAre("HcnOpenNamespace", "HcnQueryNamespaceProperties", "HcnCloseNamespace",
                                            "HcnOpenEndpoint", "HcnQueryEndpointProperties", "HcnCloseEndpoint"));
  EXPECT_EQ(log[before]["id"], attached->namespace_id);
  EXPECT_EQ(log[before + 3]["id"], attached->endpoint_id);
  // HNS's own fields (State, VirtualNetworkName) stay behind; the guest gets hcsshim's structs.
  EXPECT_EQ(guest->ns.dump(), R"({"ID":")" + attached->namespace_id + R"(","Type":"Host","Resources":[{"Type":"Endpoint","Data":{"ID":")" +
                                  attached->endpoint_id + R"("}}],"SchemaVersion":{"Major":0,"Minor":0}})");
  EXPECT_FALSE(guest->endpoint.contains("VirtualNetworkName"));
  EXPECT_EQ(guest->endpoint["MacAddress"], "00-15-5D-52-C0-0A");
}

TEST_F(SandboxNetworkTest, ForGuestNamesTheEndpointHcnCannotOpen) {
  SandboxNetworking networking(api_);
  auto attached = networking.attach_sandbox("web");
  ASSERT_TRUE(attached);
  double_.script("HcnOpenEndpoint", static_cast<long>(hresult::kEndpointNotFound),
                 R"({"Success":false,"Error":"The endpoint was not found.","ErrorCode":2151350274})", nullptr);
  auto guest = networking.for_guest(*attached);
  ASSERT_FALSE(guest);
  EXPECT_EQ(guest.error().code, Errc::not_found);
  EXPECT_EQ(guest.error().message,
            "HcnOpenEndpoint " + attached->endpoint_id + ": The endpoint was not found. (HRESULT 0x803B0002)");
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
