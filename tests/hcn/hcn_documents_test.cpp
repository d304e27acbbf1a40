#include "core/engine/hcs/network/hcn_documents.h"

#include "core/engine/hcs/documents/container_document.h"
#include "tests/hcs/golden.h"

#include <gtest/gtest.h>

namespace silo::hcn {
namespace {

using silo::hcs::to_text;
using silo::hcs::testing::expect_golden;
using silo::hcs::testing::read_golden;

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

TEST(HcnGuestDocuments, EndpointKeepsOnlyWhatHcsshimsStructDeclaresInItsOrder) {
  // What HcnQueryEndpointProperties answers carries HNS's own fields (Version, Resources, State,
  // VirtualNetwork, Health.LastErrorCode ...); the guest gets hcn.HostComputeEndpoint's.
  auto endpoint = endpoint_for_guest(read_golden("endpoint_properties_from_hcn"), "HcnQueryEndpointProperties");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  expect_golden("endpoint_for_guest", to_text(*endpoint));
}

TEST(HcnGuestDocuments, NamespaceKeepsOnlyWhatHcsshimsStructDeclaresInItsOrder) {
  auto ns = namespace_for_guest(read_golden("namespace_properties_from_hcn"), "HcnQueryNamespaceProperties");
  ASSERT_TRUE(ns) << ns.error().message;
  expect_golden("namespace_for_guest", to_text(*ns));
}

TEST(HcnGuestDocuments, StructFieldsAreAlwaysThereAsGoWritesThem) {
  auto endpoint = endpoint_for_guest(R"({"ID":"e","MacAddress":"","Flags":0,"Policies":[]})", "HcnQueryEndpointProperties");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->dump(),
            R"({"ID":"e","Dns":{},"Health":{"Extra":{}},"SchemaVersion":{"Major":0,"Minor":0}})");
}

TEST(HcnGuestDocuments, HealthDataKeepsItsKeysSortedAsAGoMapDoes) {
  auto endpoint = endpoint_for_guest(R"({"Health":{"Data":{"b":1,"a":2}}})", "q");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ((*endpoint)["Health"].dump(), R"({"Data":{"a":2,"b":1},"Extra":{}})");
}

TEST(HcnGuestDocuments, TextThatIsNoObjectIsRefusedNamingTheCall) {
  auto refused = namespace_for_guest("[1]", "HcnQueryNamespaceProperties");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(refused.error().message, "HcnQueryNamespaceProperties returned no JSON object: [1]");
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
