#include "core/engine/hcs/storage/layer_chain.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <system_error>

namespace silo::hcs::storage {

Result<void> write_layer_chain(const std::filesystem::path& layer_folder, const std::vector<std::string>& parents) {
  const auto target = layer_folder / kLayerChainFile;
  const auto temp = layer_folder / (std::string(kLayerChainFile) + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << nlohmann::json(parents).dump();
    out.flush();
    if (!out) return make_error(Errc::internal, "cannot write " + temp.string());
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return make_error(Errc::internal, "cannot rename " + temp.string() + " to " + target.string());
  }
  return {};
}

Result<std::vector<std::string>> read_layer_chain(const std::filesystem::path& layer_folder) {
  const auto path = layer_folder / kLayerChainFile;
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, path.string() + " does not exist");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return make_error(Errc::invalid_argument, path.string() + " is not a JSON array of parent layer paths");
  }
  std::vector<std::string> parents;
  for (const auto& entry : parsed) {
    if (!entry.is_string()) {
      return make_error(Errc::invalid_argument, path.string() + " holds a parent that is not a string");
    }
    parents.push_back(entry.get<std::string>());
  }
  return parents;
}

}  // namespace silo::hcs::storage
