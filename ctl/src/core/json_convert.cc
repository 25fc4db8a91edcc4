#include "json_convert.h"

#include "contract.h"
#include "ifname.h"

namespace txqg {

using json = Json;

json to_json(const Stats &stats)
{
	json counters = json::object();
	for (const auto &[name, value] : stats.counters)
		counters[name] = value;
	return {{"version", stats.version},
		{"mode", stats.mode},
		{"backend", stats.backend},
		{"counters", counters},
		{"unload_hold_ms", stats.hold_ms ? json(*stats.hold_ms) : json(nullptr)}};
}

json to_json(const Event &ev)
{
	return {{"time", event_time_string(ev)},
		{"time_iso", event_time_iso(ev)},
		{"cpu", ev.cpu},
		{"guard", kGuardNames[ev.guard]},
		{"ifname", escape_ifname(ev.ifname)},
		{"ifindex", ev.ifindex},
		{"netns", ev.netns},
		{"reg_state", ev.reg_state},
		{"real_num_tx_queues", ev.real_num_tx_queues},
		{"running", ev.running},
		{"carrier", ev.carrier},
		{"action", kActionNames[ev.action]}};
}

json to_json(const Probe &p)
{
	json j = {{"guard", p.guard}, {"symbol", p.symbol}, {"state", p.state_name()}};
	if (p.state == TXQGUARD_PROBE_ARMED) {
		j["location"] = p.location;
		j["module"] = p.module.empty() ? json(nullptr) : json(p.module);
		j["kind"] = p.kind;
	}
	if (p.err)
		j["err"] = *p.err;
	return j;
}

json to_json(const std::vector<Probe> &probes)
{
	json arr = json::array();
	for (const auto &p : probes)
		arr.push_back(to_json(p));
	return arr;
}

json to_json(const FixAssessment &fix)
{
	json j = {{"status", fix_status_name(fix.status)}, {"reason", fix.reason}};
	j["upstream_version"] = fix.upstream ? json(fix.upstream->version.str()) : json(nullptr);
	j["fixed_in"] = fix.fixed_in ? json(fix.fixed_in->str()) : json(nullptr);
	return j;
}

json to_json(const HostState &h)
{
	const ModuleState &m = h.module;
	json module = {{"loaded", m.loaded},
		       {"name", m.form ? json(std::string(module_name(*m.form))) : json(nullptr)},
		       {"version", m.version ? json(*m.version) : json(nullptr)},
		       {"srcversion", m.srcversion ? json(*m.srcversion) : json(nullptr)},
		       {"mode", m.mode ? json(*m.mode) : json(nullptr)},
		       {"selftest", m.selftest ? json(*m.selftest) : json(nullptr)},
		       {"backend", m.backend ? json(*m.backend) : json(nullptr)},
		       {"probes", m.probes ? to_json(*m.probes) : json(nullptr)},
		       {"counters", m.stats ? to_json(*m.stats)["counters"] : json(nullptr)},
		       {"unload_hold_ms", m.stats && m.stats->hold_ms ? json(*m.stats->hold_ms)
								     : json(nullptr)}};
	if (m.debugfs_error)
		module["debugfs_error"] = m.debugfs_error->message;
	if (m.livepatch)
		module["livepatch"] = {{"enabled", m.livepatch->enabled},
				       {"transition", m.livepatch->transition}};
	else if (m.livepatch_error)
		module["livepatch"] = {{"error", m.livepatch_error->message}};
	json behaviour = nullptr;
	if (h.verify)
		behaviour = {{"kernel_fix", kernel_fix_name(h.verify->fix)},
			     {"detail", h.verify->fix_detail},
			     {"time", h.verify->time},
			     {"this_boot", h.verify_this_boot}};
	return {{"kernel",
		 {{"release", h.uname.release},
		  {"machine", h.uname.machine},
		  {"build", h.uname.build},
		  {"fix", to_json(h.fix)},
		  {"behaviour", behaviour}}},
		{"openvswitch_loaded", h.openvswitch_loaded},
		{"module", module},
		{"guarded", h.guarded},
		{"exposed", h.exposed},
		{"exposure",
		 {{"fix", fix_status_name(h.effective_fix)},
		  {"by", h.fix_by_behaviour ? "behaviour" : "table"},
		  {"table_disagrees", h.table_disagrees()}}},
		{"verify", h.verify ? h.verify->json : json(nullptr)},
		{"verify_this_boot", h.verify_this_boot},
		{"foreign_hooks", h.foreign_hooks ? to_json(*h.foreign_hooks) : json(nullptr)}};
}

}  // namespace txqg
