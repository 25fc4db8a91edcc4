// Whole-file reads and writes for the small text files of debugfs, sysfs
// and procfs, with errno turned into an Error.
#pragma once

#include <string>
#include <string_view>

#include "result.h"

namespace txqg {

ErrorCode error_code_from_errno(int err);
Error errno_error(int err, std::string_view what);

// Reads until EOF: debugfs and sysfs files report size 0.
Result<std::string> read_text_file(const std::string &path);

// Writes an existing file in a single write(2), as sysfs wants.
Result<void> write_existing_file(const std::string &path, std::string_view data);

bool path_exists(const std::string &path);

}  // namespace txqg
