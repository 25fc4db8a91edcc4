// Small helpers shared by the parsers of the module's text files.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace txqg {

std::vector<std::string_view> split_lines(std::string_view text);
std::vector<std::string_view> split_fields(std::string_view line);

// Whole-string decimal parse; nullopt on any stray character or overflow.
template <typename Int>
std::optional<Int> parse_int(std::string_view s)
{
	Int v{};
	if (s.empty() || s.front() == '+')
		return std::nullopt;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc() || end != s.data() + s.size())
		return std::nullopt;
	return v;
}

std::string line_error(std::string_view file, size_t line_no, std::string_view why);

}  // namespace txqg
