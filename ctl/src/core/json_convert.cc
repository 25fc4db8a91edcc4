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
		{"unload_hold_ms", optional_json(stats.hold_ms)}};
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
	j["upstream_version"] =
		optional_json(fix.upstream, [](const UpstreamVersion &u) { return u.version.str(); });
	j["fixed_in"] = optional_json(fix.fixed_in, [](const KernelVersion &v) { return v.str(); });
	return j;
}

json to_json(const HostState &h)
{
	const ModuleState &m = h.module;
	json module = {{"loaded", m.loaded},
		       {"name", optional_json(m.form,
					      [](ModuleForm f) { return std::string(module_name(f)); })},
		       {"version", optional_json(m.version)},
		       {"srcversion", optional_json(m.srcversion)},
		       {"mode", optional_json(m.mode)},
		       {"selftest", optional_json(m.selftest)},
		       {"backend", optional_json(m.backend)},
		       {"probes", optional_json(m.probes, [](const auto &p) { return to_json(p); })},
		       {"counters",
			optional_json(m.stats, [](const Stats &s) { return to_json(s)["counters"]; })},
		       {"unload_hold_ms", m.stats ? optional_json(m.stats->hold_ms) : json(nullptr)}};
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
		{"verify", optional_json(h.verify, [](const VerifyRecord &v) { return v.json; })},
		{"verify_this_boot", h.verify_this_boot},
		{"foreign_hooks",
		 optional_json(h.foreign_hooks, [](const auto &f) { return to_json(f); })}};
}

}  // namespace txqg
