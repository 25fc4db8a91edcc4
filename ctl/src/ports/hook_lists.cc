#include "hook_lists.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "parse_util.h"

namespace txqg {
namespace {

constexpr std::string_view kKprobesFile = "kprobes/list";
constexpr std::string_view kEnabledFile = "enabled_functions";

bool is_hex(std::string_view s)
{
	return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	});
}

std::optional<unsigned long> parse_hex_offset(std::string_view s)
{
	if (!s.starts_with("0x"))
		return std::nullopt;
	s.remove_prefix(2);
	unsigned long v = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
	if (s.empty() || ec != std::errc() || end != s.data() + s.size())
		return std::nullopt;
	return v;
}

// "[GONE][DISABLED]": every bracketed word upper case, else not flags.
bool parse_kprobe_flags(std::string_view tok, KprobeEntry &e)
{
	KprobeEntry parsed = e;
	while (!tok.empty()) {
		if (tok.front() != '[')
			return false;
		auto close = tok.find(']');
		if (close == std::string_view::npos || close == 1)
			return false;
		std::string_view word = tok.substr(1, close - 1);
		if (!std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
			return false;
		if (word == "GONE")
			parsed.gone = true;
		else if (word == "DISABLED")
			parsed.disabled = true;
		else if (word == "OPTIMIZED")
			parsed.optimized = true;
		else if (word == "FTRACE")
			parsed.ftrace = true;
		tok.remove_prefix(close + 1);
	}
	e = parsed;
	return true;
}

bool is_symbol_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '$';
}

bool is_symbol(std::string_view s)
{
	return !s.empty() && std::all_of(s.begin(), s.end(), is_symbol_char);
}

std::optional<std::string_view> bracketed(std::string_view tok)
{
	if (tok.size() < 3 || tok.front() != '[' || tok.back() != ']')
		return std::nullopt;
	return tok.substr(1, tok.size() - 2);
}

Error bad(std::string_view file, size_t line_no, std::string_view why)
{
	return Error{ErrorCode::Parse, line_error(file, line_no, why)};
}

}  // namespace

Result<std::vector<KprobeEntry>> parse_kprobes_list(std::string_view text)
{
	std::vector<KprobeEntry> entries;
	size_t line_no = 0;
	for (std::string_view line : split_lines(text)) {
		line_no++;
		auto f = split_fields(line);
		if (f.empty())
			continue;
		if (f.size() < 3 || !is_hex(f[0]) || (f[1] != "k" && f[1] != "r"))
			return bad(kKprobesFile, line_no, "expected 'address k|r symbol+offset ...'");
		KprobeEntry e;
		e.retprobe = f[1] == "r";
		std::string_view where = f[2];
		auto plus = where.rfind('+');
		if (plus != std::string_view::npos && is_symbol(where.substr(0, plus))) {
			auto offset = parse_hex_offset(where.substr(plus + 1));
			if (!offset)
				return bad(kKprobesFile, line_no, "bad offset in '" + std::string(where) + "'");
			e.function = where.substr(0, plus);
			e.offset = *offset;
		} else if (!where.starts_with("0x")) {
			return bad(kKprobesFile, line_no, "bad location '" + std::string(where) + "'");
		}
		for (size_t i = 3; i < f.size(); i++) {
			if (parse_kprobe_flags(f[i], e))
				continue;
			std::string_view mod = bracketed(f[i]).value_or(f[i]);
			if (!e.module.empty() || !is_symbol(mod))
				return bad(kKprobesFile, line_no, "unexpected '" + std::string(f[i]) + "'");
			e.module = mod;
		}
		entries.push_back(std::move(e));
	}
	return entries;
}

Result<std::vector<FtraceRecord>> parse_enabled_functions(std::string_view text)
{
	std::vector<FtraceRecord> records;
	size_t line_no = 0;
	for (std::string_view line : split_lines(text)) {
		line_no++;
		// Continuation lines ("\tdirect-->...") and blank lines.
		if (line.empty() || line.front() == ' ' || line.front() == '\t' || line.front() == '#')
			continue;
		size_t tab = line.find('\t');
		std::string_view head = line.substr(0, tab);
		std::string_view tail = tab == std::string_view::npos ? "" : line.substr(tab + 1);
		auto f = split_fields(head);
		FtraceRecord r;
		size_t i = 0;
		if (f.empty() || !is_symbol(f[0]))
			return bad(kEnabledFile, line_no, "expected 'function (users) flags'");
		r.function = f[i++];
		if (i < f.size())
			if (auto mod = bracketed(f[i]); mod && is_symbol(*mod)) {
				r.module = *mod;
				i++;
			}
		std::optional<unsigned long> users;
		if (i < f.size() && f[i].size() > 2 && f[i].front() == '(' && f[i].back() == ')')
			users = parse_int<unsigned long>(f[i].substr(1, f[i].size() - 2));
		if (!users)
			return bad(kEnabledFile, line_no, "expected '(users)' after the function");
		r.users = *users;
		for (i++; i < f.size(); i++) {
			if (f[i].size() != 1 || f[i][0] < 'A' || f[i][0] > 'Z')
				return bad(kEnabledFile, line_no,
					   "unexpected flag '" + std::string(f[i]) + "'");
			r.flags += f[i];
		}
		// "tramp: 0x... (handler+0x0/0x150)": the ops' function in parentheses.
		for (size_t open = tail.find('('); open != std::string_view::npos;
		     open = tail.find('(', open + 1)) {
			size_t close = tail.find(')', open);
			if (close == std::string_view::npos)
				break;
			std::string_view sym = tail.substr(open + 1, close - open - 1);
			sym = sym.substr(0, sym.find('+'));
			if (is_symbol(sym) &&
			    std::find(r.handlers.begin(), r.handlers.end(), sym) == r.handlers.end())
				r.handlers.emplace_back(sym);
		}
		records.push_back(std::move(r));
	}
	return records;
}

}  // namespace txqg
