// JSON output keeps keys in the order they are written, so --json reads
// like the text output.
#pragma once

#include <nlohmann/json.hpp>

namespace txqg {

using Json = nlohmann::ordered_json;

}  // namespace txqg
