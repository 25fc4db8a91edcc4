#include "probes.h"

#include <algorithm>

#include "parse_util.h"

namespace txqg {
namespace {

constexpr std::string_view kFile = "probes";

Error bad(size_t line_no, std::string_view why)
{
	return Error{ErrorCode::Parse, line_error(kFile, line_no, why)};
}

// ftrace, ftrace-ops, kprobe-ftrace, breakpoint, ...: informational, and the
// module grows new ones, so any lower-case word is taken.
bool valid_kind(std::string_view kind)
{
	return !kind.empty() && std::all_of(kind.begin(), kind.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
	});
}

}  // namespace

Result<std::vector<Probe>> parse_probes(std::string_view text)
{
	std::vector<Probe> probes;
	size_t line_no = 0;

	for (std::string_view line : split_lines(text)) {
		line_no++;
		auto f = split_fields(line);
		if (f.empty())
			continue;
		if (f.size() < 3)
			return bad(line_no, "expected 'guard symbol state ...'");
		Probe p;
		p.guard = f[0];
		p.symbol = f[1];
		auto state = probe_state_from_name(f[2]);
		if (!state)
			return bad(line_no, "unknown state '" + std::string(f[2]) + "'");
		p.state = *state;
		f.erase(f.begin(), f.begin() + 3);

		if (!f.empty() && f.back().starts_with("err=")) {
			auto err = parse_int<int>(f.back().substr(4));
			if (!err)
				return bad(line_no, "bad err= value");
			p.err = *err;
			f.pop_back();
		}
		if (p.state != TXQGUARD_PROBE_ARMED) {
			if (!f.empty())
				return bad(line_no, "unexpected fields after '" +
					   std::string(p.state_name()) + "'");
		} else {
			if (f.size() != 3 && f.size() != 4)
				return bad(line_no, "armed probe needs 'location [module] address kind'");
			p.location = f.front();
			if (f.size() == 4) {
				std::string_view mod = f[1];
				if (mod.size() < 3 || mod.front() != '[' || mod.back() != ']')
					return bad(line_no, "expected '[module]'");
				p.module = mod.substr(1, mod.size() - 2);
			}
			p.address = f[f.size() - 2];
			p.kind = f.back();
			if (!valid_kind(p.kind))
				return bad(line_no, "bad probe kind '" + p.kind + "'");
		}
		if (find_probe(probes, p.guard))
			return bad(line_no, "duplicate guard '" + p.guard + "'");
		probes.push_back(std::move(p));
	}
	return probes;
}

const Probe *find_probe(const std::vector<Probe> &probes, std::string_view guard)
{
	for (const auto &p : probes)
		if (p.guard == guard)
			return &p;
	return nullptr;
}

}  // namespace txqg
