// Safe extraction of one layer tar into an empty folder, streaming: the tar is read through
// libarchive from a DigestingSource (gunzip + sha256), and every file is written by silo itself
// through SafeTree, never by libarchive's extract-to-disk.
//
// Policy (docs/operations.md, "Layers"):
// - names: relative only; no ".." component; at most max_path_bytes. Refused otherwise.
// - symlinks: created as stored and never followed during extraction. A relative target that climbs
//   above the layer root is refused. An absolute target (/bin/sh -> /bin/busybox) is kept: it means
//   the container's root, where it is resolved at run time, never by silod.
// - hard links: to an entry already extracted in this layer, by a checked name; never to a folder.
// - char and block devices and sockets: refused, naming the entry. FIFOs are created (harmless).
// - OCI whiteouts are converted to what overlayfs reads: ".wh.<name>" becomes a 0/0 character
//   device <name>, and ".wh..wh..opq" sets trusted.overlay.opaque=y on its folder. Both need root
//   (CAP_MKNOD, CAP_SYS_ADMIN), as silod runs.
// - ownership (uid/gid), permission bits including setuid/setgid/sticky as stored, and mtimes are
//   kept. Ownership needs root; a non-root silod keeps files as its own user.
// - limits: uncompressed stream bytes, one file's bytes, entry count (extract_limits.h).
#pragma once

#include "storage/layers/byte_source.h"
#include "storage/layers/extract_limits.h"
#include "storage/layers/layer_files.h"

#include <cstdint>
#include <string>

namespace silo::layers {

// Extracts the tar read from `input` into the folder open at root_fd (which should be empty).
// On error the folder holds a partial tree; the caller removes it.
Result<ExtractSummary> extract_layer(ByteSource& input, int root_fd, const ExtractLimits& limits);

}  // namespace silo::layers
