#include "core/engine/engine.h"

namespace silo::engine {

void Engine::register_backend(std::shared_ptr<Backend> backend) {
  auto index = static_cast<std::size_t>(backend->isolation());
  backends_.at(index) = std::move(backend);
}

std::shared_ptr<Backend> Engine::backend(Isolation mode) const { return backends_.at(static_cast<std::size_t>(mode)); }

Availability Engine::availability(Isolation mode) const {
  if (auto found = backend(mode)) return found->probe();
  return {false, "no " + std::string(to_string(mode)) + " backend is built into this silod yet"};
}

}  // namespace silo::engine
