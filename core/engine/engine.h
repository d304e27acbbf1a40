// The backends this silod was built and configured with, one per isolation mode. The composition
// root registers them; /v1/info asks here which modes are usable. A mode without a backend reports
// itself unavailable with that reason: silod never claims a capability it does not have.
#pragma once

#include "core/engine/backend.h"

#include <array>
#include <memory>

namespace silo::engine {

class Engine {
 public:
  // Replaces any backend already registered for the same isolation mode.
  void register_backend(std::shared_ptr<Backend> backend);

  Availability availability(Isolation mode) const;
  std::shared_ptr<Backend> backend(Isolation mode) const;

 private:
  static constexpr std::size_t kModes = 3;
  std::array<std::shared_ptr<Backend>, kModes> backends_{};
};

}  // namespace silo::engine
