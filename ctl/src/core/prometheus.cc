#include "prometheus.h"

#include <algorithm>

#include "contract.h"

namespace txqg {
namespace {

// "Lethal": towards a device being unregistered (reg_state not
// NETREG_REGISTERED, or real_num_tx_queues 0), where an unfixed kernel soft
// locks. "Port down" is the drop upstream's do_output() makes anyway.
constexpr std::array<std::string_view, __TXQGUARD_CTR_MAX> kCounterHelp = {
	"Transmit-queue picks the txhash guard inspected.",
	"Lethal transmit-queue picks: a packet with a recorded rx queue towards a device being "
	"unregistered; on a kernel without the fix each one spins skb_tx_hash() forever (the lockup "
	"would have happened here).",
	"Lethal transmit-queue picks whose recorded rx queue the txhash guard cleared (enforce), "
	"so the pick took its safe hash path.",
	"Open vSwitch outputs the ovs_output guard inspected.",
	"Lethal Open vSwitch outputs: to a port whose device is being unregistered; on a kernel "
	"without the fix each one hangs its CPU in skb_tx_hash() (the lockup would have happened "
	"here).",
	"Lethal Open vSwitch outputs the ovs_output guard dropped (enforce).",
	"Open vSwitch outputs to a registered port whose device is not running or has no "
	"carrier: what upstream's do_output() drops silently. Not a lockup; a kernel with the fix "
	"never counts one.",
	"Port-down Open vSwitch outputs the ovs_output guard dropped (enforce), as upstream's "
	"do_output() does.",
};
static_assert(std::ranges::none_of(kCounterHelp, &std::string_view::empty),
	      "every counter of the contract needs its help text");

std::string counter_help(std::string_view name)
{
	for (size_t i = 0; i < kCounterNames.size(); i++)
		if (kCounterNames[i] == name)
			return std::string(kCounterHelp[i]);
	if (name == "events_total")
		return "Lethal events recorded in the module's event ring since it was loaded; sampled "
		       "(at most one per CPU every " + std::to_string(TXQGUARD_EVENT_INTERVAL_MS) +
		       " ms), while the hazard counters count every packet.";
	return "txqguard counter " + std::string(name) + ".";
}

std::string counter_metric_name(std::string_view name)
{
	std::string metric = "txqguard_" + std::string(name);
	if (!metric.ends_with("_total"))
		metric += "_total";
	return metric;
}

MetricFamily gauge(std::string name, std::string help, std::uint64_t value)
{
	return {std::move(name), std::move(help), "gauge", {{{}, value}}};
}

// Guard liveness is about this boot; the kernel-fix verdict about this
// kernel build, whatever boot measured it.
void add_verify_metrics(std::vector<MetricFamily> &fams, const HostState &host)
{
	if (!host.verify)
		return;
	const VerifyRecord &v = *host.verify;
	if (host.verify_this_boot) {
		fams.push_back(gauge("txqguard_verify_timestamp_seconds",
				     "When the last txqguardctl verify of this boot ran (Unix time); "
				     "absent when none has run since boot.",
				     static_cast<std::uint64_t>(std::max<std::int64_t>(v.epoch_seconds, 0))));
		fams.push_back(gauge("txqguard_verify_passed",
				     "Whether the last txqguardctl verify of this boot found both guards "
				     "live on the transmit path (1) or not (0).",
				     v.passed));
	}
	MetricFamily fix{"txqguard_verify_kernel_fix",
			 "The last txqguardctl verify on this kernel build (any boot): 1 for its "
			 "verdict by behaviour (fixed: do_output() drops output to a down port; not "
			 "fixed: it hands it to ovs_vport_send; unknown: the ovs_output probe saw "
			 "nothing), 0 for the others.",
			 "gauge",
			 {}};
	for (KernelFix f : {KernelFix::Fixed, KernelFix::NotFixed, KernelFix::Unknown})
		fix.samples.push_back({{{"verdict", std::string(kernel_fix_name(f))}}, v.fix == f});
	fams.push_back(std::move(fix));
}

}  // namespace

std::string escape_label_value(std::string_view value)
{
	std::string out;
	for (char c : value) {
		if (c == '\\')
			out += "\\\\";
		else if (c == '"')
			out += "\\\"";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

std::string escape_help(std::string_view help)
{
	std::string out;
	for (char c : help) {
		if (c == '\\')
			out += "\\\\";
		else if (c == '\n')
			out += "\\n";
		else
			out += c;
	}
	return out;
}

std::vector<MetricFamily> build_metrics(const HostState &host)
{
	const ModuleState &m = host.module;
	std::vector<MetricFamily> fams;

	fams.push_back(gauge("txqguard_module_loaded",
			     "Whether txqguard.ko is loaded (1) or not (0).", m.loaded));
	fams.push_back(gauge("txqguard_exposed",
			     "Whether the host is exposed to the tx-queue lockup (1): the kernel lacks "
			     "the fix, by the last verify on this kernel build where it could tell, "
			     "else by the version table, and no txqguard guard is enforcing.",
			     host.exposed));
	fams.push_back(gauge("txqguard_enforcing",
			     "Whether txqguard is loaded in enforce mode with its txhash guard armed "
			     "(and, for the live-patch form, its patch enabled) (1) or not (0).",
			     host.guarded));
	fams.push_back(gauge("txqguard_openvswitch_loaded",
			     "Whether the openvswitch module is loaded (1) or not (0).",
			     host.openvswitch_loaded));
	if (m.loaded) {
		MetricFamily info = gauge("txqguard_info",
					  "txqguard version, mode, backend and srcversion, and the "
					  "running kernel's release and build; always 1.", 1);
		info.samples[0].labels = {{"version", m.version.value_or("")},
					  {"mode", m.mode.value_or("")},
					  {"backend", m.backend ? *m.backend
							       : m.stats ? m.stats->backend : ""},
					  {"kernel", host.uname.release},
					  {"srcversion", m.srcversion.value_or("")},
					  {"kernel_build", host.uname.build}};
		fams.push_back(std::move(info));
	}
	// txqguard_lp only: an alert on a transition that does not end.
	if (m.livepatch) {
		fams.push_back(gauge("txqguard_livepatch_enabled",
				     "Whether txqguard_lp's live patch is enabled (1) or not (0).",
				     m.livepatch->enabled));
		fams.push_back(gauge("txqguard_livepatch_transition",
				     "Whether txqguard_lp's live patch is in transition (1): some "
				     "tasks still run the code it is switching away from.",
				     m.livepatch->transition));
	}

	MetricFamily armed{"txqguard_probe_armed",
			   "Whether the guard's probe is armed (1) or not (0).", "gauge", {}};
	for (std::string_view guard : kGuardNames) {
		const Probe *p = m.probes ? find_probe(*m.probes, guard) : nullptr;
		armed.samples.push_back({{{"guard", std::string(guard)}},
					 p && p->state == TXQGUARD_PROBE_ARMED});
	}
	fams.push_back(std::move(armed));

	if (host.foreign_hooks) {
		MetricFamily foreign{"txqguard_foreign_hooks",
				     "Live patches, kprobes and ftrace users on a guarded function "
				     "that are not txqguard's (lists it could not read count 0).",
				     "gauge", {}};
		for (std::string_view f : kHookTargets) {
			const auto &hooks = host.foreign_hooks->hooks;
			auto n = std::count_if(hooks.begin(), hooks.end(),
					       [f](const ForeignHook &h) { return h.function == f; });
			foreign.samples.push_back({{{"function", std::string(f)}},
						   static_cast<std::uint64_t>(n)});
		}
		fams.push_back(std::move(foreign));
	}

	if (m.stats && m.stats->hold_ms)
		// Rounded up: an open hold never reads 0.
		fams.push_back(gauge("txqguard_unload_hold_seconds",
				     "Seconds until txqguard may be unloaded again, rounded up: a lethal "
				     "hazard holds it for unload_hold_s after the last one; 0 when no "
				     "hold is open.",
				     (std::uint64_t{*m.stats->hold_ms} + 999) / 1000));
	add_verify_metrics(fams, host);

	if (m.stats)
		for (const auto &[name, value] : m.stats->counters)
			fams.push_back({counter_metric_name(name), counter_help(name), "counter",
					{{{}, value}}});
	return fams;
}

std::string render_prometheus(const std::vector<MetricFamily> &families)
{
	std::string out;
	for (const auto &f : families) {
		out += "# HELP " + f.name + " " + escape_help(f.help) + "\n";
		out += "# TYPE " + f.name + " " + f.type + "\n";
		for (const auto &s : f.samples) {
			out += f.name;
			if (!s.labels.empty()) {
				out += "{";
				for (size_t i = 0; i < s.labels.size(); i++) {
					if (i)
						out += ",";
					out += s.labels[i].first + "=\"" +
					       escape_label_value(s.labels[i].second) + "\"";
				}
				out += "}";
			}
			out += " " + std::to_string(s.value) + "\n";
		}
	}
	return out;
}

Json metrics_to_json(const std::vector<MetricFamily> &families)
{
	Json arr = Json::array();
	for (const auto &f : families) {
		Json samples = Json::array();
		for (const auto &s : f.samples) {
			Json labels = Json::object();
			for (const auto &[k, v] : s.labels)
				labels[k] = v;
			samples.push_back({{"labels", labels}, {"value", s.value}});
		}
		arr.push_back({{"name", f.name}, {"type", f.type}, {"help", f.help},
			       {"samples", samples}});
	}
	return arr;
}

}  // namespace txqg
