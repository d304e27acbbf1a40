#include "core/errors.h"

#include <cstring>

namespace silo {
namespace {

class SiloCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "silo"; }
  std::string message(int ev) const override { return std::string(to_string(static_cast<Errc>(ev))); }
};

}  // namespace

const std::error_category& silo_category() noexcept {
  static const SiloCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), silo_category()}; }

std::string_view to_string(Errc e) noexcept {
  switch (e) {
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::failed_precondition: return "failed_precondition";
    case Errc::conflict: return "conflict";
    case Errc::permission_denied: return "permission_denied";
    case Errc::unavailable: return "unavailable";
    case Errc::resource_exhausted: return "resource_exhausted";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

Error errno_error(Errc code, std::string_view what, int err) {
  std::string text = std::error_code(err, std::generic_category()).message();
  return Error{code, std::string(what) + ": " + text + " (errno " + std::to_string(err) + ")"};
}

ErrorException::ErrorException(Error e)
    : std::runtime_error(std::string(to_string(e.code)) + ": " + e.message), error_(std::move(e)) {}

void throw_exception_from_error(const Error& e, const boost::source_location&) { throw ErrorException(e); }

}  // namespace silo
