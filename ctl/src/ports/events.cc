#include "events.h"

#include <cstdio>
#include <ctime>
#include <map>

#include "ifname.h"
#include "parse_util.h"

namespace txqg {
namespace {

constexpr std::string_view kFile = "events";
constexpr size_t kIfnamMax = 15;	// IFNAMSIZ - 1

using Fields = std::map<std::string_view, std::string_view>;

Result<Fields> split_pairs(std::string_view line, size_t line_no)
{
	Fields fields;
	for (std::string_view tok : split_fields(line)) {
		size_t eq = tok.find('=');
		if (eq == std::string_view::npos || eq == 0)
			return Error{ErrorCode::Parse,
				     line_error(kFile, line_no, "expected key=value, got '" +
						escape_ifname(tok) + "'")};
		if (!fields.emplace(tok.substr(0, eq), tok.substr(eq + 1)).second)
			return Error{ErrorCode::Parse,
				     line_error(kFile, line_no, "duplicate key '" +
						std::string(tok.substr(0, eq)) + "'")};
	}
	return fields;
}

class LineParser {
public:
	LineParser(const Fields &fields, size_t line_no) : fields_(fields), line_no_(line_no) {}

	template <typename Int>
	bool number(std::string_view key, Int &out)
	{
		auto s = get(key);
		if (!s)
			return false;
		auto v = parse_int<Int>(*s);
		if (!v)
			return fail(key, "not a number");
		out = *v;
		return true;
	}

	bool flag(std::string_view key, bool &out)
	{
		std::uint32_t v = 0;
		if (!number(key, v))
			return false;
		if (v > 1)
			return fail(key, "not 0 or 1");
		out = v == 1;
		return true;
	}

	std::optional<std::string_view> get(std::string_view key)
	{
		auto it = fields_.find(key);
		if (it == fields_.end()) {
			fail(key, "missing");
			return std::nullopt;
		}
		return it->second;
	}

	bool fail(std::string_view key, std::string_view why)
	{
		if (!error_)
			error_ = Error{ErrorCode::Parse,
				       line_error(kFile, line_no_, std::string(key) + ": " +
						  std::string(why))};
		return false;
	}

	const std::optional<Error> &error() const { return error_; }

private:
	const Fields &fields_;
	size_t line_no_;
	std::optional<Error> error_;
};

bool parse_time(LineParser &p, Event &ev)
{
	auto s = p.get("time");
	if (!s)
		return false;
	size_t dot = s->find('.');
	if (dot == std::string_view::npos || s->size() - dot - 1 != 9)
		return p.fail("time", "expected seconds.nanoseconds");
	auto sec = parse_int<std::uint64_t>(s->substr(0, dot));
	auto nsec = parse_int<std::uint32_t>(s->substr(dot + 1));
	if (!sec || !nsec)
		return p.fail("time", "expected seconds.nanoseconds");
	ev.time_sec = *sec;
	ev.time_nsec = *nsec;
	return true;
}

bool parse_names(LineParser &p, Event &ev)
{
	auto guard = p.get("guard");
	auto action = p.get("action");
	auto ifname = p.get("ifname");
	if (!guard || !action || !ifname)
		return false;
	auto g = guard_from_name(*guard);
	if (!g)
		return p.fail("guard", "unknown guard");
	auto a = action_from_name(*action);
	if (!a)
		return p.fail("action", "unknown action");
	ev.guard = *g;
	ev.action = *a;
	ev.ifname = unescape_kernel_string(*ifname);
	if (ev.ifname.empty() || ev.ifname.size() > kIfnamMax)
		return p.fail("ifname", "not an interface name");
	return true;
}

}  // namespace

Result<std::vector<Event>> parse_events(std::string_view text)
{
	std::vector<Event> events;
	size_t line_no = 0;

	for (std::string_view line : split_lines(text)) {
		line_no++;
		if (split_fields(line).empty())
			continue;
		auto fields = split_pairs(line, line_no);
		if (!fields)
			return fields.error();
		LineParser p(*fields, line_no);
		Event ev;
		bool ok = parse_time(p, ev) && parse_names(p, ev) &&
			  p.number("cpu", ev.cpu) && p.number("ifindex", ev.ifindex) &&
			  p.number("netns", ev.netns) && p.number("reg_state", ev.reg_state) &&
			  p.number("real_num_tx_queues", ev.real_num_tx_queues) &&
			  p.flag("running", ev.running) && p.flag("carrier", ev.carrier);
		if (!ok)
			return *p.error();
		events.push_back(std::move(ev));
	}
	return events;
}

std::string event_time_string(const Event &ev)
{
	char ns[16];
	std::snprintf(ns, sizeof(ns), "%09u", ev.time_nsec);
	return std::to_string(ev.time_sec) + "." + ns;
}

std::string event_time_iso(const Event &ev)
{
	std::time_t t = static_cast<std::time_t>(ev.time_sec);
	std::tm tm{};
	char buf[64];
	if (!gmtime_r(&t, &tm) || !std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		return event_time_string(ev);
	char ns[16];
	std::snprintf(ns, sizeof(ns), "%09u", ev.time_nsec);
	return std::string(buf) + "." + ns + "Z";
}

}  // namespace txqg
