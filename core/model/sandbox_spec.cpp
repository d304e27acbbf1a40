#include "core/model/sandbox_spec.h"

#include "core/model/hostprocess_annotations.h"
#include "core/model/message_text.h"

namespace silo {

Result<void> validate_sandbox_spec(const SandboxSpec& spec, const validation::Limits& limits) {
  if (!spec.name.empty()) SILO_TRY(validation::check_name("name", spec.name, limits));
  if (spec.isolation == Isolation::hostprocess) {
    return message::invalid(
        "isolation \"hostprocess\" is not a sandbox isolation; use process or hyperv, and mark "
        "the sandbox with annotation " +
        std::string(hostprocess::kContainerAnnotation) + "=true to host HostProcess containers");
  }
  SILO_TRY(validation::check_labels("labels", spec.labels, limits));
  SILO_TRY(validation::check_annotations("annotations", spec.annotations, limits));
  SILO_TRY(hostprocess::check_annotation_values("annotations", spec.annotations));
  return {};
}

bool is_hostprocess_sandbox(const SandboxSpec& spec) {
  auto marked = hostprocess::read_bool("annotations", spec.annotations, hostprocess::kContainerAnnotation);
  return marked && marked->value_or(false);
}

}  // namespace silo
