#include "storage/layers/extracted_layer_files.h"

#include "storage/layers/safe_tree.h"
#include "storage/layers/tar_extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace silo::layers {

Result<ExtractSummary> ExtractedLayerFiles::unpack(ByteSource& body, const std::filesystem::path& folder,
                                                   const std::vector<std::filesystem::path>&) {
  ::chmod(folder.c_str(), 0755);  // the tar's "./" entry, if any, sets its own
  UniqueFd root(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root) return errno_error(Errc::internal, "cannot open " + folder.string(), errno);
  return extract_layer(body, root.get(), limits_);
}

Result<void> ExtractedLayerFiles::remove(const std::filesystem::path& folder) {
  UniqueFd parent(::open(folder.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent) return errno_error(Errc::internal, "cannot open " + folder.parent_path().string(), errno);
  SafeTree tree(parent.get());
  return tree.clear(parent.get(), folder.filename().string(), false);
}

}  // namespace silo::layers
