// Atomic replacement of a file, for node_exporter's textfile collector: a
// reader sees the old content or the new, never a partial write.
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "result.h"

namespace txqg {

// Writes a hidden temporary file beside path (the collector reads only
// *.prom), syncs it, and renames it over path.
Result<void> write_file_atomic(const std::string &path, std::string_view content,
			       mode_t mode = 0644);

}  // namespace txqg
