#include "storage/layers/layer_store.h"

#include "core/ids.h"
#include "core/logging.h"
#include "storage/layers/safe_tree.h"
#include "storage/layers/tar_extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>

namespace silo::layers {
namespace fs = std::filesystem;

namespace {

Result<void> ensure_folder(const fs::path& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) return errno_error(Errc::internal, "cannot create " + path.string(), errno);
  return {};
}

}  // namespace

LayerStore::LayerStore(fs::path data_root, std::shared_ptr<MetadataStore> store, const Clock& clock, ExtractLimits limits)
    : root_(std::move(data_root) / "layers"), store_(std::move(store)), clock_(clock), limits_(limits) {}

fs::path LayerStore::layer_path(std::string_view id) const { return root_ / std::string(id); }

Result<void> LayerStore::discard(const fs::path& folder) {
  UniqueFd parent(::open(folder.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent) return errno_error(Errc::internal, "cannot open " + folder.parent_path().string(), errno);
  SafeTree tree(parent.get());
  return tree.clear(parent.get(), folder.filename().string(), false);
}

Result<void> LayerStore::recover() {
  SILO_TRY(ensure_folder(root_, 0700));
  SILO_TRY(ensure_folder(temp_root(), 0700));
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
  }
  SILO_TRY(ensure_folder(root_, 0700));
  SILO_TRY(ensure_folder(temp_root(), 0700));
  std::string pattern = (temp_root() / "import-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return errno_error(Errc::internal, "cannot create a folder under " + temp_root().string(), errno);
  fs::path temp(pattern);
  ::chmod(temp.c_str(), 0755);  // the tar's "./" entry, if any, sets its own
  auto extracted = [&]() -> Result<ExtractSummary> {
    UniqueFd root(::open(temp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root) return errno_error(Errc::internal, "cannot open " + temp.string(), errno);
    return extract_layer(body, root.get(), limits_);
  }();
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
  if (::rename(temp.c_str(), target.c_str()) != 0) return errno_error(Errc::internal, "cannot move the layer into " + target.string(), errno);
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
  if (::rename(layer_path(record->id).c_str(), trash.c_str()) != 0) {
    if (errno == ENOENT) return {};
    return errno_error(Errc::internal, "layer " + record->id + " is deleted but its folder could not be moved away", errno);
  }
  return discard(trash);
}

}  // namespace silo::layers
