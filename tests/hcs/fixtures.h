// Specs and host facts shared by the document tests: fixed ids and paths so the golden files
// never change unless a builder does.
#pragma once

#include "core/engine/hcs/documents/container_document.h"
#include "core/model/hostprocess_annotations.h"

namespace silo::hcs::testing {

inline ContainerSpec sample_spec() {
  ContainerSpec spec;
  spec.name = "web";
  spec.command = {"ping", "-n", "3", "127.0.0.1"};
  return spec;
}

inline EffectiveContainerConfig config_for(Isolation isolation, bool hostprocess = false) {
  EffectiveContainerConfig config;
  config.isolation = isolation;
  config.hostprocess = hostprocess;
  return config;
}

inline std::vector<LayerFolder> sample_layers() {
  return {
      {"5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b", "C:\\ProgramData\\silo\\layers\\9f2c\\folder"},
      {"0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b", "C:\\ProgramData\\silo\\layers\\0b1a\\folder"},
  };
}

inline ContainerInputs argon_inputs() {
  ContainerInputs inputs;
  inputs.target.build = kBuildWs2022;
  inputs.layers = sample_layers();
  inputs.scratch_path = "\\\\?\\Volume{6f3a2b1c-4d5e-4f60-9a8b-7c6d5e4f3a2b}\\";
  inputs.available_cpus = 8;
  return inputs;
}

inline ContainerInputs vm_inputs() {
  ContainerInputs inputs;
  inputs.target.build = kBuildWs2025;
  inputs.layers = {
      {"5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b", vsmb_guest_path("l0")},
      {"0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b", vsmb_guest_path("l1")},
  };
  inputs.scratch_path = "C:\\c\\3f2e1d0c\\scratch";
  inputs.available_cpus = 2;
  return inputs;
}

inline constexpr const char* kUvmId = "3f2e1d0c9b8a@vm";

}  // namespace silo::hcs::testing
