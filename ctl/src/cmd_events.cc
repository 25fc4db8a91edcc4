#include "commands.h"
#include "contract.h"
#include "ifname.h"
#include "json_convert.h"

namespace txqg {

int cmd_events(Env &env, bool json)
{
	if (!env.params.loaded(kModuleName))
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
		env.out << "no hazard events recorded\n";
	for (const auto &ev : *events)
		env.out << event_time_iso(ev) << " cpu=" << ev.cpu
			<< " guard=" << kGuardNames[ev.guard]
			<< " action=" << kActionNames[ev.action]
			<< " ifname=" << escape_ifname(ev.ifname)
			<< " ifindex=" << ev.ifindex << " netns=" << ev.netns
			<< " reg_state=" << ev.reg_state
			<< " real_num_tx_queues=" << ev.real_num_tx_queues
			<< " running=" << ev.running << " carrier=" << ev.carrier << "\n";
	return kExitOk;
}

}  // namespace txqg
