// JSON output keeps keys in the order they are written, so --json reads
// like the text output.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace txqg {

using Json = nlohmann::ordered_json;

// Kernel-provided strings are not guaranteed UTF-8; never throw over them.
inline std::string dump_json(const Json &j, int indent = -1)
{
	return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// null for a value that is absent; convert makes the JSON of one present.
template <typename T>
Json optional_json(const std::optional<T> &v)
{
	return v ? Json(*v) : Json(nullptr);
}

template <typename T, typename Convert>
Json optional_json(const std::optional<T> &v, Convert &&convert)
{
	return v ? Json(convert(*v)) : Json(nullptr);
}

}  // namespace txqg
