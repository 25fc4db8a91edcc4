#include <iomanip>

#include "commands.h"
#include "contract.h"
#include "host_state.h"
#include "json_convert.h"
#include "livepatch_transition.h"

namespace txqg {
namespace {

std::string describe_probe(const Probe &p)
{
	std::string s = std::string(p.state_name());
	if (p.state == TXQGUARD_PROBE_ARMED) {
		// Generic netlink reports the symbol, debugfs the resolved location.
		s += " on " + (p.location.empty() ? p.symbol : p.location);
		if (!p.module.empty())
			s += " [" + p.module + "]";
		s += " (" + p.kind + ")";
	} else if (!p.symbol.empty()) {
		s += " (" + p.symbol + ")";
	}
	if (p.err)
		s += " err=" + std::to_string(*p.err);
	return s;
}

std::string verdict(const HostState &h)
{
	if (h.exposed)
		return h.fix_by_behaviour
			? "EXPOSED: this kernel build behaved unfixed (verify) and no txqguard guard "
			  "is enforcing"
			: "EXPOSED: known vulnerable kernel and no txqguard guard enforcing";
	if (h.guarded)
		return "protected: the txhash guard is enforcing";
	switch (h.effective_fix) {
	case FixStatus::Fixed:
		return h.fix_by_behaviour ? "not exposed: this kernel build behaved fixed (verify)"
					  : "not exposed: the kernel carries the fix";
	case FixStatus::Unknown:
		return "not known to be exposed: fix status unknown (txqguardctl verify tells by "
		       "behaviour)";
	case FixStatus::Vulnerable: break;
	}
	return "exposed";
}

template <typename Row>
void print_foreign_hooks(Row &row, const ForeignHookReport &report)
{
	for (const auto &h : report.hooks)
		row("warning") << h.detail << "\n";
	if (report.hooks.empty()) {
		auto &line = row("hooks") << "none but txqguard's on";
		for (auto f : kHookTargets)
			line << " " << f;
		line << "\n";
	}
	if (!report.unchecked.empty()) {
		auto &line = row("  not checked");
		const char *sep = "";
		for (const auto &u : report.unchecked) {
			line << sep << u;
			sep = "; ";
		}
		line << "\n";
	}
}

template <typename Row>
void print_verify(Row &row, const HostState &h)
{
	const VerifyRecord &v = *h.verify;
	auto &line = row("verify") << v.time;
	if (!h.verify_this_boot) {
		line << ", an earlier boot of this kernel build: guard liveness not known for this "
			"boot\n";
	} else {
		line << ":";
		const Json &checks = v.json.contains("checks") ? v.json["checks"] : Json();
		if (checks.is_array())
			for (const auto &c : checks)
				if (c.is_object() && c.contains("guard") && c["guard"].is_string() &&
				    c.contains("live"))
					line << " " << c["guard"].get<std::string>()
					     << (c["live"] == true ? " live" : " NOT LIVE");
		line << "\n";
	}
	row("  kernel fix") << kernel_fix_name(v.fix) << " (by behaviour): " << v.fix_detail << "\n";
	if (h.table_disagrees())
		row("  note") << "the version table says " << fix_status_name(h.fix.status)
			      << ", verify's behaviour on this kernel build says "
			      << kernel_fix_name(v.fix) << ": behaviour wins\n";
}

void print_text(std::ostream &out, const HostState &h)
{
	auto row = [&out](std::string_view key) -> std::ostream & {
		return out << std::left << std::setw(14) << key << " ";
	};
	const ModuleState &m = h.module;

	row("kernel") << h.uname.release << " " << h.uname.machine;
	if (h.fix.upstream && h.fix.upstream->origin == "debian")
		out << " (upstream " << h.fix.upstream->version.str() << ", from /proc/version)";
	out << "\n";
	row("fix") << fix_status_name(h.fix.status) << ": " << h.fix.reason << "\n";
	row("openvswitch") << (h.openvswitch_loaded ? "loaded" : "not loaded") << "\n";
	row("txqguard");
	if (!m.loaded) {
		out << "not loaded\n";
	} else {
		out << "loaded";
		if (m.form == ModuleForm::Livepatch)
			out << " as " << kLivepatchModuleName;
		out << ", version " << m.version.value_or("?") << ", mode " << m.mode.value_or("?");
		if (m.backend)
			out << ", backend " << *m.backend;
		if (m.selftest.value_or(false))
			out << ", selftest hooks on";
		out << "\n";
		if (m.livepatch)
			row("  livepatch") << "enabled " << m.livepatch->enabled << ", transition "
					   << m.livepatch->transition << "\n";
		else if (m.livepatch_error)
			row("  livepatch") << "unavailable: " << m.livepatch_error->message << "\n";
		if (m.probes)
			for (const auto &p : *m.probes)
				row("  " + p.guard) << describe_probe(p) << "\n";
		if (m.stats) {
			row("counters");
			const char *sep = "";
			for (const auto &[name, value] : m.stats->counters) {
				out << sep << name << "=" << value;
				sep = " ";
			}
			out << "\n";
			if (m.stats->hold_ms.value_or(0) > 0)
				row("  unload hold")
					<< seconds_text(std::chrono::milliseconds(*m.stats->hold_ms))
					<< " more: a lethal hazard was seen, the module refuses to unload "
					   "until none was seen for unload_hold_s\n";
		}
		if (m.debugfs_error)
			row("  probes") << "unavailable: " << m.debugfs_error->message << "\n";
		const Probe *ovs = m.probes ? find_probe(*m.probes, kOvsOutputGuard) : nullptr;
		if (h.openvswitch_loaded && ovs && ovs->state != TXQGUARD_PROBE_ARMED)
			row("  note") << "openvswitch is loaded but the ovs_output guard is "
				      << ovs->state_name() << "\n";
	}
	if (h.foreign_hooks)
		print_foreign_hooks(row, *h.foreign_hooks);
	if (h.verify)
		print_verify(row, h);
	row("verdict") << verdict(h) << "\n";
}

}  // namespace

int cmd_status(Env &env, bool json)
{
	HostState h = collect_host_state(env);
	if (json)
		env.out << dump_json(to_json(h), 2) << "\n";
	else
		print_text(env.out, h);
	return h.exposed ? kExitExposed : kExitOk;
}

int cmd_version(Env &env, bool json)
{
	if (json)
		env.out << dump_json({{"version", kCtlVersion}}) << "\n";
	else
		env.out << "txqguardctl " << kCtlVersion << "\n";
	return kExitOk;
}

}  // namespace txqg
