#include <algorithm>
#include <chrono>

#include "commands.h"
#include "contract.h"
#include "module_form.h"
#include "ifname.h"
#include "json_convert.h"

namespace txqg {
namespace {

void print_event(std::ostream &out, const Event &ev, bool json)
{
	if (json) {
		out << dump_json(to_json(ev)) << "\n";
		return;
	}
	out << event_time_iso(ev) << " cpu=" << ev.cpu << " guard=" << kGuardNames[ev.guard]
	    << " action=" << kActionNames[ev.action] << " ifname=" << escape_ifname(ev.ifname)
	    << " ifindex=" << ev.ifindex << " netns=" << ev.netns << " reg_state=" << ev.reg_state
	    << " real_num_tx_queues=" << ev.real_num_tx_queues << " running=" << ev.running
	    << " carrier=" << ev.carrier << "\n";
}

}  // namespace

int cmd_events(Env &env, bool json)
{
	if (!loaded_form(env.params))
		return fail(env, "txqguard is not loaded");
	auto events = env.source.events();
	if (!events)
		return fail(env, events.error().message);

	if (json) {
		Json arr = Json::array();
		for (const auto &ev : *events)
			arr.push_back(to_json(ev));
		env.out << dump_json(arr, 2) << "\n";
		return kExitOk;
	}
	if (events->empty())
		env.out << "no lethal events recorded\n";
	for (const auto &ev : *events)
		print_event(env.out, ev, false);
	return kExitOk;
}

int cmd_events_follow(Env &env, const FollowOptions &opts)
{
	using namespace std::chrono;
	if (!loaded_form(env.params))
		return fail(env, "txqguard is not loaded");
	if (!env.control)
		return fail(env, "following events needs txqguard's generic netlink family");
	env.catch_interrupts();
	// Subscribe before the first snapshot, so nothing falls in between.
	auto stream = env.control->subscribe_events();
	if (!stream)
		return fail(env, "cannot follow events: " + stream.error().message);
	auto batch = env.control->event_batch();
	if (!batch)
		return fail(env, batch.error().message);
	std::uint64_t seen = batch->total;

	const auto start = env.now();
	const auto deadline = opts.timeout_seconds
		? start + duration_cast<steady_clock::duration>(duration<double>(*opts.timeout_seconds))
		: steady_clock::time_point::max();
	unsigned printed = 0;
	while (!env.interrupted() && (!opts.count || printed < *opts.count)) {
		const auto now = env.now();
		if (now >= deadline)
			break;
		// Wake at least every second: a lost notification costs a second.
		auto wait = std::min<steady_clock::duration>(deadline - now, seconds(1));
		auto nudged = (*stream)->wait(duration_cast<milliseconds>(wait));
		if (!nudged) {
			if (nudged.error().code == ErrorCode::Interrupted)
				break;
			return fail(env, nudged.error().message);
		}
		batch = env.control->event_batch();
		if (!batch)
			return fail(env, batch.error().message);
		if (batch->total < seen)
			seen = 0;	// the module was reloaded
		const std::uint64_t fresh = batch->total - seen;
		const size_t have = batch->events.size();
		const size_t take = static_cast<size_t>(std::min<std::uint64_t>(fresh, have));
		// Only news when those events would have been printed.
		const bool wanted_all = !opts.count || *opts.count - printed > take;
		if (fresh > take && wanted_all)
			env.err << "txqguardctl: " << fresh - take
				<< " events were overwritten before they could be read\n";
		for (size_t i = have - take; i < have && (!opts.count || printed < *opts.count); i++) {
			print_event(env.out, batch->events[i], opts.json);
			printed++;
		}
		env.out.flush();
		seen = batch->total;
	}
	if (opts.count && printed < *opts.count)
		return fail(env, "saw " + std::to_string(printed) + " of " +
			    std::to_string(*opts.count) + " events before " +
			    (env.interrupted() ? "the interrupt" : "the timeout"));
	return kExitOk;
}

}  // namespace txqg
