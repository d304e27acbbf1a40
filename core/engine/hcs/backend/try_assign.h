// core/errors.h's SILO_TRY propagates a failed Result<void>; this binds the value of a Result<T>
// to `name` or returns its error from the enclosing function (which returns a Result).
#pragma once

#include <utility>

#define SILO_HCS_TRY_ASSIGN(name, expr)          \
  auto name##_result_ = (expr);                  \
  if (!name##_result_) return name##_result_.error(); \
  auto name = std::move(*name##_result_)
