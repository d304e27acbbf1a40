#include "storage/layers/tar_extract.h"

#include "storage/layers/digesting_source.h"
#include "storage/layers/entry_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <optional>
#include <vector>

namespace silo::layers {
namespace {

// libarchive pulls bytes through this callback; an error from the source is kept here so the
// caller reports it rather than libarchive's generic "read failed".
struct PullContext {
  DigestingSource* source = nullptr;
  std::vector<char> buffer = std::vector<char>(128 * 1024);
  std::optional<Error> failure;
};

la_ssize_t pull(archive* reader, void* opaque, const void** out) {
  auto* context = static_cast<PullContext*>(opaque);
  auto n = context->source->read(context->buffer);
  if (!n) {
    context->failure = n.error();
    archive_set_error(reader, EIO, "%s", n.error().message.c_str());
    return -1;
  }
  *out = context->buffer.data();
  return static_cast<la_ssize_t>(*n);
}

struct ArchiveCloser {
  void operator()(archive* reader) const { archive_read_free(reader); }
};

Error reader_error(archive* reader, const PullContext& context) {
  if (context.failure) return *context.failure;
  const char* text = archive_error_string(reader);
  return make_error(Errc::invalid_argument, std::string("the layer is not a valid tar stream: ") + (text ? text : "unreadable"));
}

}  // namespace

Result<ExtractSummary> extract_layer(ByteSource& input, int root_fd, const ExtractLimits& limits) {
  DigestingSource source(input, limits.max_stream_bytes);
  PullContext context;
  context.source = &source;
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  if (!reader) return make_error(Errc::internal, "cannot start libarchive");
  // Tar only (ustar, pax, GNU, v7); compression is DigestingSource's job, so the digest sees the tar.
  archive_read_support_format_tar(reader.get());
  if (archive_read_open(reader.get(), &context, nullptr, pull, nullptr) != ARCHIVE_OK) return reader_error(reader.get(), context);

  EntryWriter writer(root_fd, limits);
  ExtractSummary summary;
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(reader.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) return reader_error(reader.get(), context);
    if (++summary.entries > limits.max_entries) {
      return make_error(Errc::invalid_argument, "the layer has more than " + std::to_string(limits.max_entries) +
                                                    " entries (max-layer-entries)");
    }
    SILO_TRY(writer.write(reader.get(), entry));
  }
  if (summary.entries == 0 && source.total_bytes() == 0) {
    return make_error(Errc::invalid_argument, "the layer stream is empty; send a tar archive");
  }
  SILO_TRY(writer.finish());
  // The id covers every byte sent, including what follows the end-of-archive blocks.
  SILO_TRY(source.drain());
  auto digest = source.hex_digest();
  if (!digest) return digest.error();
  summary.digest = std::move(*digest);
  summary.stream_bytes = source.total_bytes();
  summary.content_bytes = writer.content_bytes();
  summary.compressed = source.compressed();
  return summary;
}

}  // namespace silo::layers
