// JSON output keeps keys in the order they are written, so --json reads
// like the text output.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace txqg {

using Json = nlohmann::ordered_json;

// Kernel-provided strings are not guaranteed UTF-8; never throw over them.
inline std::string dump_json(const Json &j, int indent = -1)
{
	return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace txqg
