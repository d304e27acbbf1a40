// The engine's backend contract. For now only the capability part exists: which isolation mode a
// backend serves and whether it can run here (and if not, why). Create/start/signal/exec/... join
// this interface with the issues that bring the first real backend.
#pragma once

#include "core/model/records.h"

#include <string>

namespace silo::engine {

struct Availability {
  bool available = false;
  std::string reason;  // empty when available; otherwise what is missing and what to do
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Isolation isolation() const = 0;
  // Checks the host (kernel features, binaries, DLLs) each time it is asked.
  virtual Availability probe() = 0;
};

}  // namespace silo::engine
