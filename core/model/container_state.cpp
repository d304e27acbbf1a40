// Which operation is allowed in which state, and the conflict message when it is not.
#include "core/model/container_state.h"

#include "core/ids.h"

#include <array>

namespace silo {
namespace {

constexpr std::array<std::string_view, 10> kOperationNames{
    "create", "start", "exit", "stop", "kill", "restart", "remove", "force-remove", "finish-remove", "readopt"};

bool allowed(ContainerState state, ContainerOperation op) {
  using S = ContainerState;
  using O = ContainerOperation;
  switch (op) {
    case O::create:
      return false;  // only without a current state
    case O::start:
      return state == S::created || state == S::exited;
    case O::exit:
      return state == S::running || state == S::removing;
    case O::stop:
      return state != S::removing;
    case O::kill:
      return state == S::running;
    case O::restart:
      return state != S::removing;
    case O::remove:
      return state == S::created || state == S::exited;
    case O::force_remove:
      return state != S::removing;
    case O::finish_remove:
      return state == S::removing;
    case O::readopt:
      return true;
  }
  return false;
}

// What the user should do instead, given the state that blocked the operation.
std::string_view hint(ContainerState state, ContainerOperation op) {
  using S = ContainerState;
  using O = ContainerOperation;
  if (state == S::removing)
    return op == O::remove || op == O::force_remove ? "it is already being removed" : "it is being removed";
  if (state == S::running) {
    if (op == O::remove) return "stop it first or use force";
    if (op == O::start) return "it is already started";
    return "remove it first";  // finish_remove
  }
  if (op == O::exit) return state == S::created ? "it has not been started" : "its exit is already recorded";
  if (op == O::finish_remove) return "remove it first";
  return "start it first";  // kill of a created or exited container
}

std::string display_name(const ContainerRef& container) {
  if (!container.name.empty()) return container.name;
  return std::string(ids::shorten(container.id));
}

}  // namespace

std::string_view to_string(ContainerOperation operation) noexcept {
  auto index = static_cast<std::size_t>(operation);
  return index < kOperationNames.size() ? kOperationNames[index] : "unknown";
}

Result<void> check_operation(const ContainerRef& container, std::optional<ContainerState> current,
                             ContainerOperation operation) {
  std::string name = display_name(container);
  if (!current) {
    if (operation == ContainerOperation::create) return {};
    return make_error(Errc::not_found, "no container " + name);
  }
  if (operation == ContainerOperation::create) {
    return make_error(Errc::already_exists,
                      "container " + name + " already exists (" + std::string(to_string(*current)) + ")");
  }
  if (allowed(*current, operation)) return {};
  return make_error(Errc::conflict, "container " + name + " is " + std::string(to_string(*current)) + "; " +
                                        std::string(hint(*current, operation)));
}

}  // namespace silo
