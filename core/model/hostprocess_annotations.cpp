#include "core/model/hostprocess_annotations.h"

#include "core/model/message_text.h"

namespace silo::hostprocess {

Result<std::optional<bool>> read_bool(std::string_view field, const StringMap& annotations, std::string_view key) {
  auto it = annotations.find(std::string(key));
  if (it == annotations.end()) return std::optional<bool>{};
  if (it->second == "true") return std::optional<bool>{true};
  if (it->second == "false") return std::optional<bool>{false};
  return message::invalid(std::string(field) + "[\"" + std::string(key) + "\"] " + message::quoted(it->second) +
                          " must be \"true\" or \"false\"");
}

Result<void> check_annotation_values(std::string_view field, const StringMap& annotations) {
  for (std::string_view key : {kContainerAnnotation, kInheritUserAnnotation}) {
    auto value = read_bool(field, annotations, key);
    if (!value) return value.error();
  }
  return {};
}

}  // namespace silo::hostprocess
