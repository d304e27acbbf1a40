#include "core/engine/hcs/computecore/wide_text.h"

namespace silo::hcs::computecore {

std::string to_utf8(const wchar_t* text) {
  if (text == nullptr) return {};
  return platform::windows::to_utf8(text);
}

std::string take_document(PWSTR document) {
  if (document == nullptr) return {};
  std::string out = to_utf8(document);
  LocalFree(document);
  return out;
}

}  // namespace silo::hcs::computecore
