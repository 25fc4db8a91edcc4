#include "parse_util.h"

namespace txqg {

std::vector<std::string_view> split_lines(std::string_view text)
{
	std::vector<std::string_view> lines;
	while (!text.empty()) {
		size_t nl = text.find('\n');
		lines.push_back(text.substr(0, nl));
		if (nl == std::string_view::npos)
			break;
		text.remove_prefix(nl + 1);
	}
	return lines;
}

std::vector<std::string_view> split_fields(std::string_view line)
{
	std::vector<std::string_view> fields;
	size_t i = 0;
	while (i < line.size()) {
		while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
			i++;
		size_t start = i;
		while (i < line.size() && line[i] != ' ' && line[i] != '\t')
			i++;
		if (i > start)
			fields.push_back(line.substr(start, i - start));
	}
	return fields;
}

std::string line_error(std::string_view file, size_t line_no, std::string_view why)
{
	return "malformed " + std::string(file) + " line " + std::to_string(line_no) +
	       ": " + std::string(why);
}

}  // namespace txqg
