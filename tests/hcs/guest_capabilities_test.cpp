#include "core/engine/hcs/documents/guest_capabilities.h"

#include <gtest/gtest.h>

namespace silo::hcs {
namespace {

TEST(HcsGuestCapabilities, QueryAsksForTheGuestConnectionOnly) {
  EXPECT_EQ(guest_connection_query(), R"({"PropertyTypes":["GuestConnection"]})");
}

TEST(HcsGuestCapabilities, ReadsAWindowsServer2022GuestsAnswer) {
  // The shape HCS answers for a VM it holds the guest connection of (schema1 ContainerProperties).
  auto caps = parse_guest_capabilities(R"({"Id":"pod@vm","SystemType":"VirtualMachine","Owner":"silo",
    "GuestConnectionInfo":{"SupportedSchemaVersions":[{"Major":2,"Minor":1}],"ProtocolVersion":4,
      "GuestDefinedCapabilities":{"NamespaceAddRequestSupported":true,"SignalProcessSupported":true,
        "DumpStacksSupported":true}}})");
  ASSERT_TRUE(caps) << caps.error().message;
  EXPECT_EQ(caps->protocol_version, 4u);
  EXPECT_TRUE(caps->namespace_add);
  EXPECT_TRUE(caps->signal_process);
  EXPECT_FALSE(caps->hostprocess_containers);
}

TEST(HcsGuestCapabilities, HostProcessSupportIsReadWhenTheGuestNamesIt) {
  auto caps = parse_guest_capabilities(
      R"({"GuestConnectionInfo":{"GuestDefinedCapabilities":{"HostProcessContainerSupported":true}}})");
  ASSERT_TRUE(caps);
  EXPECT_TRUE(caps->hostprocess_containers);
  EXPECT_FALSE(caps->namespace_add);
}

TEST(HcsGuestCapabilities, WhatTheDocumentLeavesOutIsNotSupported) {
  for (const char* text : {"{}", R"({"GuestConnectionInfo":null})", R"({"GuestConnectionInfo":{"ProtocolVersion":-1}})",
                           R"({"GuestConnectionInfo":{"GuestDefinedCapabilities":{"SignalProcessSupported":"yes"}}})"}) {
    auto caps = parse_guest_capabilities(text);
    ASSERT_TRUE(caps) << text;
    EXPECT_EQ(caps->protocol_version, 0u) << text;
    EXPECT_FALSE(caps->namespace_add || caps->signal_process || caps->hostprocess_containers) << text;
  }
}

TEST(HcsGuestCapabilities, TextThatIsNotAnObjectIsRefusedAndQuoted) {
  for (const char* text : {"", "not json", "[]", "true"}) {
    auto caps = parse_guest_capabilities(text);
    ASSERT_FALSE(caps) << text;
    EXPECT_EQ(caps.error().code, Errc::invalid_argument);
    EXPECT_NE(caps.error().message.find("GuestConnection properties"), std::string::npos);
  }
}

}  // namespace
}  // namespace silo::hcs
