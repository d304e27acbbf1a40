#include "core/engine/hcs/network/hcn_documents.h"

#include "core/engine/hcs/documents/container_document.h"
#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

namespace silo::hcn {
namespace {

using silo::hcs::to_text;
using silo::hcs::testing::expect_golden;

constexpr std::string_view kNetworkId = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
constexpr std::string_view kEndpointId = "0f1e2d3c-4b5a-4697-8877-665544332211";

TEST(HcnDocuments, DefaultNatNetworkMatchesGolden) { expect_golden("nat_network", to_text(nat_network({}))); }

TEST(HcnDocuments, NatNetworkTakesNameSubnetAndGateway) {
  auto doc = nat_network({"lab", "10.88.0.0/24", "10.88.0.1"});
  EXPECT_EQ(doc["Name"], "lab");
  EXPECT_EQ(doc["Ipams"][0]["Subnets"][0]["IpAddressPrefix"], "10.88.0.0/24");
  EXPECT_EQ(doc["Ipams"][0]["Subnets"][0]["Routes"][0]["NextHop"], "10.88.0.1");
}

TEST(HcnDocuments, NameQueryMatchesGolden) { expect_golden("network_name_query", to_text(network_name_query("silo-nat"))); }

TEST(HcnDocuments, EndpointMatchesGolden) {
  expect_golden("sandbox_endpoint", to_text(sandbox_endpoint("web", kNetworkId)));
}

TEST(HcnDocuments, NamespaceMatchesGolden) { expect_golden("sandbox_namespace", to_text(sandbox_namespace())); }

TEST(HcnDocuments, AddEndpointRequestMatchesGolden) {
  expect_golden("namespace_add_endpoint", to_text(namespace_endpoint_request(kEndpointId, true)));
  EXPECT_EQ(namespace_endpoint_request(kEndpointId, false)["RequestType"], "Remove");
}

TEST(HcnDocuments, VmNetworkAdapterRequestMatchesGolden) {
  expect_golden("vm_network_adapter_add", to_text(vm_network_adapter_request(kEndpointId, "00-15-5D-52-C0-0A", true)));
  auto remove = vm_network_adapter_request(kEndpointId, "", false);
  EXPECT_EQ(remove["RequestType"], "Remove");
  EXPECT_FALSE(remove.contains("Settings"));
}

TEST(HcnDocuments, FirstNetworkIdReadsTheEnumeration) {
  EXPECT_EQ(first_network_id(R"(["a-b","c-d"])").value(), "a-b");
  EXPECT_EQ(first_network_id("[]").value(), "");
  EXPECT_EQ(first_network_id("").value(), "");
  EXPECT_FALSE(first_network_id("{}"));
}

TEST(HcnDocuments, StringPropertyNamesTheCallWhenMissing) {
  EXPECT_EQ(string_property(R"({"ID":"x"})", "ID", "HcnQueryNamespaceProperties").value(), "x");
  auto missing = string_property("{}", "ID", "HcnQueryNamespaceProperties");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "HcnQueryNamespaceProperties returned no ID: {}");
}

TEST(HcnDocuments, ErrorCarriesHcnTextAndHresult) {
  auto error = hcn_error("HcnCreateNetwork silo-nat", static_cast<std::int32_t>(0x80070005),
                         R"({"Success":false,"Error":"Access is denied.","ErrorCode":2147942405})", "system text");
  EXPECT_EQ(error.code, Errc::permission_denied);
  EXPECT_EQ(error.message, "HcnCreateNetwork silo-nat: Access is denied. (HRESULT 0x80070005)");
  auto not_found = hcn_error("HcnOpenNetwork", hresult::kNetworkNotFound, "", "Network not found.");
  EXPECT_EQ(not_found.code, Errc::not_found);
  EXPECT_EQ(not_found.message, "HcnOpenNetwork: Network not found. (HRESULT 0x803B0001)");
}

}  // namespace
}  // namespace silo::hcn
