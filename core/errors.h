// The one error vocabulary of silo (docs/error_handling.md): an Errc, its std::error_category, an
// Error that carries the Errc plus a message a person can act on, and Result<T> for every call that
// crosses a module boundary.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <system_error>

namespace silo {

enum class Errc {
  not_found = 1,
  already_exists,
  invalid_argument,
  failed_precondition,
  conflict,
  permission_denied,
  unavailable,
  resource_exhausted,
  internal,
};

const std::error_category& silo_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

// The snake_case name used on the wire ("not_found") and in logs.
std::string_view to_string(Errc e) noexcept;

// An error as silo reports it: the class of failure and a message that names what was wrong (the
// field, the value, the limit, the path) and what to do about it.
struct Error {
  Errc code = Errc::internal;
  std::string message;
};

Error make_error(Errc code, std::string message);

// For platform failures: "<what>: <errno text> (errno N)".
Error errno_error(Errc code, std::string_view what, int err);

template <class T>
using Result = boost::system::result<T, Error>;

// Thrown only by Result<T>::value() on an error, which is a programming mistake: callers check first.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace silo

template <>
struct std::is_error_code_enum<silo::Errc> : std::true_type {};

// Propagates the error of a Result expression out of the enclosing function, which must itself
// return a Result. Used where a chain of fallible steps would otherwise nest.
#define SILO_TRY(expr)                                 \
  do {                                                 \
    auto silo_try_result_ = (expr);                    \
    if (!silo_try_result_) return silo_try_result_.error(); \
  } while (false)
