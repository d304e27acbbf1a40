#include "storage/layers/layer_store.h"

#include "core/ids.h"
#include "core/logging.h"

#include <set>

namespace silo::layers {
namespace fs = std::filesystem;

namespace {

// Created owner-only where that is a mode (on Windows the data root's DACL covers it).
Result<void> ensure_folder(const fs::path& path) {
  std::error_code ec;
  if (fs::create_directory(path, ec)) {
    fs::permissions(path, fs::perms::owner_all, ec);
  }
  if (ec) return make_error(Errc::internal, "cannot create " + path.string() + ": " + ec.message());
  return {};
}

// A new empty folder under `parent` with a random name (mkdtemp's job, portably).
Result<fs::path> make_temp_folder(const fs::path& parent, std::string_view prefix) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    fs::path candidate = parent / (std::string(prefix) + ids::generate().substr(0, 16));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) return candidate;
    if (ec) return make_error(Errc::internal, "cannot create a folder under " + parent.string() + ": " + ec.message());
  }
  return make_error(Errc::internal, "cannot find a free folder name under " + parent.string());
}

}  // namespace

LayerStore::LayerStore(fs::path data_root, std::shared_ptr<MetadataStore> store, const Clock& clock, ExtractLimits limits,
                       std::shared_ptr<LayerFiles> files)
    : root_(std::move(data_root) / "layers"), store_(std::move(store)), clock_(clock), limits_(limits), files_(std::move(files)) {}

fs::path LayerStore::layer_path(std::string_view id) const { return root_ / std::string(id); }

Result<void> LayerStore::discard(const fs::path& folder) { return files_->remove(folder); }

Result<void> LayerStore::recover() {
  SILO_TRY(ensure_folder(root_));
  SILO_TRY(ensure_folder(temp_root()));
  auto log = logging::get("layers");
  std::error_code ec;
  for (const auto& leftover : fs::directory_iterator(temp_root(), ec)) {
    log->info("removing the unfinished layer folder {}", leftover.path().string());
    SILO_TRY(discard(leftover.path()));
  }
  if (ec) return make_error(Errc::internal, "cannot list " + temp_root().string() + ": " + ec.message());
  auto rows = store_->list_layers();
  if (!rows) return rows.error();
  std::set<std::string> known;
  for (const auto& row : *rows) {
    known.insert(row.id);
    if (!fs::is_directory(layer_path(row.id), ec)) log->warn("layer {} has a record but no folder {}", row.id, layer_path(row.id).string());
  }
  for (const auto& item : fs::directory_iterator(root_, ec)) {
    auto name = item.path().filename().string();
    if (name == "tmp" || known.contains(name)) continue;
    // A crash between rename and insert (or delete-row and remove) leaves exactly this.
    log->info("removing layer folder {} that has no record", item.path().string());
    SILO_TRY(discard(item.path()));
  }
  if (ec) return make_error(Errc::internal, "cannot list " + root_.string() + ": " + ec.message());
  return {};
}

Result<std::vector<std::string>> LayerStore::chain_of(const LayerRecord& record) {
  std::vector<std::string> chain{record.id};
  auto parent = record.parent;
  while (parent) {
    if (chain.size() > kMaxChainDepth) return make_error(Errc::internal, "layer " + record.id + " has a parent chain deeper than " + std::to_string(kMaxChainDepth));
    auto next = store_->find_layer(*parent);
    if (!next) return next.error();
    chain.push_back(next->id);
    parent = next->parent;
  }
  return chain;
}

Result<LayerInfo> LayerStore::import(ByteSource& body, const std::optional<std::string>& parent_ref) {
  std::optional<std::string> parent;
  std::vector<fs::path> parent_folders;  // nearest first
  if (parent_ref) {
    auto found = store_->find_layer(*parent_ref);
    if (!found) {
      if (found.error().code == Errc::not_found) return make_error(Errc::not_found, "parent layer \"" + *parent_ref + "\" does not exist; import it first");
      return found.error();
    }
    auto chain = chain_of(*found);
    if (!chain) return chain.error();
    if (chain->size() >= kMaxChainDepth) return make_error(Errc::invalid_argument, "a layer chain may be at most " + std::to_string(kMaxChainDepth) + " layers deep");
    parent = found->id;
    for (const auto& id : *chain) parent_folders.push_back(layer_path(id));
  }
  SILO_TRY(ensure_folder(root_));
  SILO_TRY(ensure_folder(temp_root()));
  auto temp_folder = make_temp_folder(temp_root(), "import-");
  if (!temp_folder) return temp_folder.error();
  const fs::path temp = *temp_folder;
  auto extracted = files_->unpack(body, temp, parent_folders);
  if (!extracted) {
    if (auto removed = discard(temp); !removed) logging::get("layers")->error("cannot remove {}: {}", temp.string(), removed.error().message);
    return extracted.error();
  }
  auto committed = commit(temp, extracted->digest, parent, extracted->content_bytes);
  if (!committed) {
    if (fs::exists(temp)) (void)discard(temp);
  }
  return committed;
}

Result<LayerInfo> LayerStore::commit(const fs::path& temp, const std::string& id, const std::optional<std::string>& parent, std::uint64_t size) {
  std::lock_guard lock(commit_mutex_);
  if (auto existing = store_->find_layer(id); existing) {
    SILO_TRY(discard(temp));
    if (existing->parent != parent) {
      return make_error(Errc::conflict, "layer " + id + " already exists with parent " + existing->parent.value_or("(none)") +
                                            "; the same content cannot have another parent");
    }
    auto chain = chain_of(*existing);
    if (!chain) return chain.error();
    return LayerInfo{*existing, std::move(*chain), true};
  } else if (existing.error().code != Errc::not_found) {
    return existing.error();
  }
  auto target = layer_path(id);
  if (fs::exists(target)) SILO_TRY(discard(target));  // a folder without a row: a crash leftover
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) return make_error(Errc::internal, "cannot move the layer into " + target.string() + ": " + ec.message());
  if (auto finished = files_->finish(target); !finished) {
    if (auto removed = discard(target); !removed) logging::get("layers")->error("cannot remove {}: {}", target.string(), removed.error().message);
    return finished.error();
  }
  LayerRecord record{id, parent, static_cast<std::int64_t>(size), clock_.now()};
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.insert_layer(record));
    StringMap attributes{{"size", std::to_string(size)}};
    if (parent) attributes.emplace("parent", *parent);
    auto event = txn.append_event({"layer", "import", id, std::move(attributes)});
    if (!event) return event.error();
    return {};
  });
  if (!written) {
    (void)discard(target);
    return written.error();
  }
  auto stored = store_->find_layer(id);
  if (!stored) return stored.error();
  auto chain = chain_of(*stored);
  if (!chain) return chain.error();
  return LayerInfo{*stored, std::move(*chain), false};
}

Result<LayerInfo> LayerStore::inspect(std::string_view ref) {
  auto record = store_->find_layer(ref);
  if (!record) return record.error();
  auto chain = chain_of(*record);
  if (!chain) return chain.error();
  return LayerInfo{*record, std::move(*chain), false};
}

Result<std::vector<fs::path>> LayerStore::chain_folders(std::string_view ref) {
  auto info = inspect(ref);
  if (!info) return info.error();
  std::vector<fs::path> folders;
  for (const auto& id : info->chain) folders.push_back(layer_path(id));
  return folders;
}

Result<std::vector<LayerInfo>> LayerStore::list() {
  auto records = store_->list_layers();
  if (!records) return records.error();
  std::vector<LayerInfo> infos;
  for (auto& record : *records) {
    auto chain = chain_of(record);
    if (!chain) return chain.error();
    infos.push_back(LayerInfo{std::move(record), std::move(*chain), false});
  }
  return infos;
}

Result<void> LayerStore::remove(std::string_view ref) {
  std::lock_guard lock(commit_mutex_);
  auto record = store_->find_layer(ref);
  if (!record) return record.error();
  auto written = store_->write([&](WriteTxn& txn) -> Result<void> {
    SILO_TRY(txn.delete_layer(record->id));
    auto event = txn.append_event({"layer", "delete", record->id, {}});
    if (!event) return event.error();
    return {};
  });
  if (!written) return written.error();
  // Out of the way first, so a half-removed tree is never mistaken for a layer.
  auto trash = temp_root() / ("remove-" + record->id);
  std::error_code ec;
  fs::rename(layer_path(record->id), trash, ec);
  if (ec == std::errc::no_such_file_or_directory) return {};
  if (ec) return make_error(Errc::internal, "layer " + record->id + " is deleted but its folder could not be moved away: " + ec.message());
  return discard(trash);
}

}  // namespace silo::layers
