// The annotation keys that make and configure HostProcess containers, exactly as hcsshim
// (pkg/annotations) and Kubernetes tooling spell them, and strict reading of their values.
#pragma once

#include "core/errors.h"
#include "core/model/records.h"

#include <optional>
#include <string_view>

namespace silo::hostprocess {

inline constexpr std::string_view kContainerAnnotation = "microsoft.com/hostprocess-container";
inline constexpr std::string_view kInheritUserAnnotation = "microsoft.com/hostprocess-inherit-user";
inline constexpr std::string_view kRootfsLocationAnnotation = "microsoft.com/hostprocess-rootfs-location";

// What inherit-user means inside a Hyper-V sandbox (PR #2531): the guest runs the process as SYSTEM.
inline constexpr std::string_view kSystemUser = "NT AUTHORITY\\SYSTEM";

// The value of a boolean annotation: nullopt when absent, true/false for "true"/"false". Anything
// else is invalid_argument: hcsshim would log and ignore a typo, which silently changes privilege.
// `field` names the map in messages ("annotations", "sandbox annotations").
Result<std::optional<bool>> read_bool(std::string_view field, const StringMap& annotations, std::string_view key);

// Checks that every HostProcess boolean annotation in the map is "true" or "false".
Result<void> check_annotation_values(std::string_view field, const StringMap& annotations);

}  // namespace silo::hostprocess
