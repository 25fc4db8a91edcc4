// Wall-clock time as the commands print it.
#pragma once

#include <string>

namespace txqg {

// Now, UTC, ISO 8601 to the second ("2026-11-22T07:13:55Z"); empty if the clock cannot be read.
std::string now_iso();

}  // namespace txqg
