#include "stats.h"

#include <algorithm>
#include <set>

#include "contract.h"
#include "parse_util.h"

namespace txqg {
namespace {

constexpr std::string_view kFile = "stats";
constexpr std::string_view kHoldMsName = "hold_ms";

bool valid_counter_name(std::string_view name)
{
	if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z'))
		return false;
	return std::all_of(name.begin(), name.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
	});
}

}  // namespace

std::optional<std::uint64_t> Stats::counter(std::string_view name) const
{
	for (const auto &[n, v] : counters)
		if (n == name)
			return v;
	return std::nullopt;
}

Result<Stats> parse_stats(std::string_view text)
{
	Stats stats;
	std::set<std::string, std::less<>> seen;
	size_t line_no = 0;

	for (std::string_view line : split_lines(text)) {
		line_no++;
		auto fields = split_fields(line);
		if (fields.empty())
			continue;
		if (fields.size() != 2)
			return Error{ErrorCode::Parse,
				     line_error(kFile, line_no, "expected 'name value'")};
		std::string_view name = fields[0], value = fields[1];
		if (!seen.emplace(name).second)
			return Error{ErrorCode::Parse,
				     line_error(kFile, line_no, "duplicate '" + std::string(name) + "'")};
		if (name == "version") {
			stats.version = value;
		} else if (name == "mode") {
			if (!mode_from_name(value))
				return Error{ErrorCode::Parse,
					     line_error(kFile, line_no, "unknown mode '" + std::string(value) + "'")};
			stats.mode = value;
		} else if (name == "backend") {
			stats.backend = value;
		} else if (name == kHoldMsName) {
			auto v = parse_int<std::uint32_t>(value);
			if (!v)
				return Error{ErrorCode::Parse,
					     line_error(kFile, line_no, "'hold_ms' is not a u32")};
			stats.hold_ms = *v;
		} else {
			if (!valid_counter_name(name))
				return Error{ErrorCode::Parse,
					     line_error(kFile, line_no, "bad counter name")};
			auto v = parse_int<std::uint64_t>(value);
			if (!v)
				return Error{ErrorCode::Parse,
					     line_error(kFile, line_no, "'" + std::string(name) +
							"' is not a counter value")};
			stats.counters.emplace_back(name, *v);
		}
	}

	for (std::string_view key : {"version", "mode", "backend"})
		if (!seen.count(key))
			return Error{ErrorCode::Parse,
				     "malformed stats: no '" + std::string(key) + "' line"};
	for (std::string_view name : kCounterNames)
		if (!seen.count(name))
			return Error{ErrorCode::Parse,
				     "malformed stats: no '" + std::string(name) + "' counter"};
	return stats;
}

}  // namespace txqg
