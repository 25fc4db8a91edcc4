#include <algorithm>
#include <chrono>
#include <ctime>
#include <iomanip>

#include "commands.h"
#include "contract.h"
#include "module_form.h"
#include "json_convert.h"
#include "time_format.h"

namespace txqg {
namespace {

// Values line up after the longest name of the contract.
constexpr int kWidth =
	static_cast<int>(std::ranges::max(kCounterNames, {}, &std::string_view::size).size());

void print_text(std::ostream &out, const Stats &s, const Stats *prev, std::string_view source)
{
	out << std::left << std::setw(kWidth) << "version" << " " << s.version << "\n"
	    << std::setw(kWidth) << "mode" << " " << s.mode << "\n"
	    << std::setw(kWidth) << "backend" << " " << s.backend << "\n"
	    << std::setw(kWidth) << "source" << " " << source << "\n";
	for (const auto &[name, value] : s.counters) {
		out << std::left << std::setw(kWidth) << name << " " << value;
		if (prev)
			if (auto before = prev->counter(name))
				out << " (+" << value - *before << ")";
		out << "\n";
	}
	// Not a counter: a delta would say nothing.
	if (s.hold_ms)
		out << std::left << std::setw(kWidth) << "unload_hold_ms" << " " << *s.hold_ms << "\n";
}

}  // namespace

int cmd_stats(Env &env, const StatsOptions &opts)
{
	if (!loaded_form(env.params))
		return fail(env, "txqguard is not loaded");
	const bool watching = opts.watch_seconds.has_value();
	const auto interval = std::chrono::milliseconds(
		static_cast<long long>(opts.watch_seconds.value_or(0) * 1000));
	std::optional<Stats> prev;

	for (unsigned n = 1;; n++) {
		auto stats = env.source.stats();
		if (!stats)
			return fail(env, stats.error().message);
		if (opts.json) {
			auto j = to_json(*stats);
			j["source"] = env.source.name();
			if (watching) {
				j["time"] = now_iso();
				env.out << dump_json(j) << "\n";
			} else {
				env.out << dump_json(j, 2) << "\n";
			}
		} else {
			if (watching)
				env.out << "--- " << now_iso() << "\n";
			print_text(env.out, *stats, prev ? &*prev : nullptr, env.source.name());
		}
		env.out.flush();
		prev = std::move(*stats);
		if (!watching || (opts.count && n >= *opts.count))
			break;
		if (!env.sleep(interval))
			break;
	}
	return kExitOk;
}

}  // namespace txqg
