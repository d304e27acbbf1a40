#include "core/model/spec_json.h"

#include <gtest/gtest.h>

namespace silo {
namespace {

using nlohmann::json;

const char* kFullBody = R"({
  "name": "web", "isolation": "process", "sandbox": "pod1", "layer": "0123abcd",
  "command": ["/bin/sh", "-c", "echo hi"], "env": ["K=V"], "workingDir": "/", "user": "1000:1000",
  "labels": {"tier": "web"}, "annotations": {"com.example/owner": "team-a"},
  "resources": {"cpuCount": 2, "memoryBytes": 67108864, "pidsLimit": 100},
  "mounts": [{"source": "/host/path", "target": "/in/container", "readOnly": true}],
  "stopTimeoutSeconds": 30, "stopSignal": "SIGINT", "log": {"maxSizeBytes": 10485760, "maxFiles": 5},
  "seccomp": "unconfined"
})";

std::string rejection(const json& body) {
  auto spec = container_spec_from_json(body);
  if (spec) return "accepted";
  EXPECT_EQ(spec.error().code, Errc::invalid_argument);
  return spec.error().message;
}

json with(const char* key, json value) {
  json body = {{"command", {"/bin/true"}}};
  body[key] = std::move(value);
  return body;
}

TEST(ContainerSpecJson, ReadsEveryField) {
  auto spec = container_spec_from_json(json::parse(kFullBody));
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec.value().name, "web");
  EXPECT_EQ(spec.value().isolation, Isolation::process);
  EXPECT_EQ(spec.value().sandbox, "pod1");
  EXPECT_EQ(spec.value().layer, "0123abcd");
  EXPECT_EQ(spec.value().command, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
  EXPECT_EQ(spec.value().env, (std::vector<std::string>{"K=V"}));
  EXPECT_EQ(spec.value().working_dir, "/");
  EXPECT_EQ(spec.value().user, "1000:1000");
  EXPECT_EQ(spec.value().labels.at("tier"), "web");
  EXPECT_EQ(spec.value().annotations.at("com.example/owner"), "team-a");
  EXPECT_EQ(spec.value().resources.cpu_count, 2);
  EXPECT_EQ(spec.value().resources.memory_bytes, 67108864);
  EXPECT_EQ(spec.value().resources.pids_limit, 100);
  EXPECT_FALSE(spec.value().resources.cpu_percent);
  ASSERT_EQ(spec.value().mounts.size(), 1U);
  EXPECT_EQ(spec.value().mounts[0], (MountSpec{"/host/path", "/in/container", true}));
  EXPECT_EQ(spec.value().stop_timeout_seconds, 30);
  EXPECT_EQ(spec.value().stop_signal, "SIGINT");
  EXPECT_EQ(spec.value().log, (LogOptions{10485760, 5}));
  EXPECT_EQ(spec.value().seccomp, SeccompProfile::unconfined);
}

TEST(ContainerSpecJson, RoundTripsThroughToJson) {
  auto spec = container_spec_from_json(json::parse(kFullBody));
  ASSERT_TRUE(spec);
  auto again = container_spec_from_json(to_json(spec.value()));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value(), spec.value());
}

TEST(ContainerSpecJson, MissingFieldsTakeDefaultsAndNullMeansAbsent) {
  auto spec = container_spec_from_json(json{{"command", {"/bin/true"}}, {"user", nullptr}, {"resources", nullptr}});
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_FALSE(spec.value().isolation);
  EXPECT_EQ(spec.value().stop_timeout_seconds, 10);
  EXPECT_EQ(spec.value().stop_signal, "SIGTERM");
  json out = to_json(spec.value());
  EXPECT_EQ(out["stopTimeoutSeconds"], 10);
  EXPECT_EQ(out["log"]["maxFiles"], 3);
  EXPECT_FALSE(out.contains("isolation"));
  EXPECT_EQ(spec.value().seccomp, SeccompProfile::default_profile);
  EXPECT_EQ(out["seccomp"], "default");
}

TEST(ContainerSpecJson, UnknownFieldsAreRejectedByName) {
  EXPECT_EQ(rejection(with("Cmd", json::array({"x"}))),
            "unknown field \"Cmd\" in the container spec; known fields are name, isolation, sandbox, layer, command, "
            "env, workingDir, user, labels, annotations, resources, mounts, stopTimeoutSeconds, stopSignal, log, seccomp");
  EXPECT_EQ(rejection(with("resources", {{"nanoCpus", 1}})),
            "unknown field \"resources.nanoCpus\" in resources; known fields are cpuCount, cpuPercent, cpuWeight, "
            "memoryBytes, pidsLimit");
  EXPECT_EQ(rejection(with("mounts", json::array({{{"source", "/a"}, {"target", "/b"}, {"type", "bind"}}}))),
            "unknown field \"mounts[0].type\" in mounts[0]; known fields are source, target, readOnly");
}

TEST(ContainerSpecJson, TypesAreChecked) {
  EXPECT_EQ(rejection(json::array()), "the container spec must be a JSON object, not an array");
  EXPECT_EQ(rejection(with("command", "/bin/sh -c x")), "command must be an array of strings, not a string");
  EXPECT_EQ(rejection(with("command", json::array({"/bin/sh", 1}))), "command[1] must be a string, not an integer");
  EXPECT_EQ(rejection(with("stopTimeoutSeconds", 1.5)),
            "stopTimeoutSeconds must be an integer, not a fractional number");
  EXPECT_EQ(rejection(with("stopTimeoutSeconds", "10")), "stopTimeoutSeconds must be an integer, not a string");
  EXPECT_EQ(rejection(with("resources", {{"memoryBytes", 18446744073709551615ULL}})),
            "resources.memoryBytes 18446744073709551615 is out of range");
  EXPECT_EQ(rejection(with("mounts", json::array({{{"source", "/a"}, {"target", "/b"}, {"readOnly", "yes"}}}))),
            "mounts[0].readOnly must be true or false, not a string");
  EXPECT_EQ(rejection(with("labels", {{"k", 1}})), "labels[\"k\"] must be a string, not an integer");
  EXPECT_EQ(rejection(with("isolation", "default")),
            "isolation \"default\" is not one of process, hyperv, hostprocess");
}

// Appends instead of "literal" + string: GCC 12 at -O3 reports a false -Wrestrict (PR 105329) on that.
std::string numbered(std::string_view prefix, int i) {
  std::string out(prefix);
  out += std::to_string(i);
  return out;
}

TEST(ContainerSpecJson, LengthsAreBoundedBeforeCopying) {
  EXPECT_EQ(rejection(with("command", json(std::vector<std::string>(257, "a")))),
            "command has 257 entries; at most 256 are allowed");
  EXPECT_EQ(rejection(with("user", std::string(300, 'u'))), "user has 300 bytes; at most 256 are allowed");
  EXPECT_EQ(rejection(with("workingDir", std::string(5001, 'd').replace(0, 1, 1, '/'))),
            "workingDir has 5001 bytes; at most 4096 are allowed");
  json many_mounts = json::array();
  for (int i = 0; i < 129; ++i) many_mounts.push_back({{"source", "/a"}, {"target", numbered("/b", i)}});
  EXPECT_EQ(rejection(with("mounts", many_mounts)), "mounts has 129 entries; at most 128 are allowed");
  json many_labels = json::object();
  for (int i = 0; i < 129; ++i) many_labels[numbered("k", i)] = "v";
  EXPECT_EQ(rejection(with("labels", many_labels)), "labels has 129 entries; at most 128 are allowed");
}

TEST(ContainerSpecJson, ValidationRunsAfterReading) {
  EXPECT_EQ(rejection(json::object()), "command is empty; give the program to run and its arguments");
  EXPECT_EQ(rejection(with("resources", {{"memoryBytes", 1024}})),
            "resources.memoryBytes 1024 is below the minimum of 6291456 (6 MiB)");
  EXPECT_EQ(rejection(with("env", json::array({"NOVALUE"}))),
            "env[0] \"NOVALUE\" must be KEY=VALUE with a non-empty KEY");
  EXPECT_EQ(rejection(with("seccomp", "off")), "seccomp \"off\" is not one of default, unconfined");
}

TEST(SandboxSpecJson, ReadsValidatesAndRoundTrips) {
  auto spec = sandbox_spec_from_json(json::parse(
      R"({"name":"pod1","isolation":"hyperv","labels":{"a":"b"},
          "annotations":{"microsoft.com/hostprocess-container":"true"}})"));
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec.value().name, "pod1");
  EXPECT_EQ(spec.value().isolation, Isolation::hyperv);
  EXPECT_TRUE(is_hostprocess_sandbox(spec.value()));
  auto again = sandbox_spec_from_json(to_json(spec.value()));
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value(), spec.value());

  auto defaulted = sandbox_spec_from_json(json::object());
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted.value().isolation, Isolation::process);
  EXPECT_FALSE(is_hostprocess_sandbox(defaulted.value()));
}

TEST(SandboxSpecJson, RejectsHostProcessIsolationUnknownFieldsAndBadMarkers) {
  auto hostprocess = sandbox_spec_from_json(json{{"isolation", "hostprocess"}});
  ASSERT_FALSE(hostprocess);
  EXPECT_EQ(hostprocess.error().message,
            "isolation \"hostprocess\" is not a sandbox isolation; use process or hyperv, and mark the sandbox with "
            "annotation microsoft.com/hostprocess-container=true to host HostProcess containers");
  auto unknown = sandbox_spec_from_json(json{{"network", "host"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "unknown field \"network\" in the sandbox spec; known fields are name, isolation, labels, annotations");
  auto marker = sandbox_spec_from_json(json{{"annotations", {{"microsoft.com/hostprocess-inherit-user", "1"}}}});
  ASSERT_FALSE(marker);
  EXPECT_EQ(marker.error().message,
            "annotations[\"microsoft.com/hostprocess-inherit-user\"] \"1\" must be \"true\" or \"false\"");
  auto name = sandbox_spec_from_json(json{{"name", "-bad"}});
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().message, "name \"-bad\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]+");
}

}  // namespace
}  // namespace silo
