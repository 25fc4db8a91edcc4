#include "ifname.h"

namespace txqg {
namespace {

bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

int simple_escape(char c)
{
	switch (c) {
	case 'a': return '\a';
	case 'e': return 0x1b;
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	case '\\': return '\\';
	default: return -1;
	}
}

}  // namespace

std::string unescape_kernel_string(std::string_view s)
{
	std::string out;
	for (size_t i = 0; i < s.size(); i++) {
		if (s[i] != '\\' || i + 1 == s.size()) {
			out += s[i];
			continue;
		}
		if (i + 3 < s.size() && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
		    is_octal(s[i + 3]) && s[i + 1] <= '3') {
			out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
						 (s[i + 3] - '0'));
			i += 3;
		} else if (s[i + 1] == '0') {
			out += '\0';
			i += 1;
		} else if (int c = simple_escape(s[i + 1]); c >= 0) {
			out += static_cast<char>(c);
			i += 1;
		} else {
			out += '\\';
		}
	}
	return out;
}

std::string escape_ifname(std::string_view raw)
{
	static constexpr char kDigits[] = "01234567";
	std::string out;
	for (char ch : raw) {
		auto c = static_cast<unsigned char>(ch);
		if (c > 0x20 && c < 0x7f && c != '\\') {
			out += ch;
		} else {
			out += '\\';
			out += kDigits[(c >> 6) & 7];
			out += kDigits[(c >> 3) & 7];
			out += kDigits[c & 7];
		}
	}
	return out;
}

}  // namespace txqg
