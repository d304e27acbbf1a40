#include "core/model/records.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

TEST(Records, EnumsRoundTripThroughTheirWireNames) {
  for (auto v : {Isolation::process, Isolation::hyperv, Isolation::hostprocess}) {
    EXPECT_EQ(parse_isolation(to_string(v)).value(), v);
  }
  for (auto v : {ContainerState::created, ContainerState::running, ContainerState::exited, ContainerState::removing}) {
    EXPECT_EQ(parse_container_state(to_string(v)).value(), v);
  }
  for (auto v : {SandboxState::ready, SandboxState::stopped, SandboxState::removing}) {
    EXPECT_EQ(parse_sandbox_state(to_string(v)).value(), v);
  }
}

TEST(Records, UnknownEnumValueListsTheAllowedOnes) {
  auto r = parse_isolation("vm");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_EQ(r.error().message, "isolation \"vm\" is not one of process, hyperv, hostprocess");
  EXPECT_FALSE(parse_container_state("Running"));  // names are case-sensitive, as on the wire
}

}  // namespace
}  // namespace silo
