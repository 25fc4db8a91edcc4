#include "prometheus.h"

#include <algorithm>

#include "contract.h"

namespace txqg {
namespace {

constexpr std::array<std::string_view, __TXQGUARD_CTR_MAX> kCounterHelp = {
	"Transmit-queue picks the txhash guard inspected.",
	"Transmit-queue picks towards a dying device that carried a recorded rx queue.",
	"Hazardous transmit-queue picks whose recorded rx queue the txhash guard cleared.",
	"Open vSwitch outputs the ovs_output guard inspected.",
	"Open vSwitch outputs to a port whose device was not running or had no carrier.",
	"Hazardous Open vSwitch outputs the ovs_output guard dropped.",
};

std::string counter_help(std::string_view name)
{
	for (size_t i = 0; i < kCounterNames.size(); i++)
		if (kCounterNames[i] == name)
			return std::string(kCounterHelp[i]);
	if (name == "events_total")
		return "Hazard events recorded since txqguard was loaded.";
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
			     "Whether the kernel is known vulnerable to the tx-queue lockup "
			     "with no txqguard guard enforcing (1) or not (0).",
			     host.exposed));
	if (m.loaded) {
		MetricFamily info = gauge("txqguard_info",
					  "txqguard version, mode, backend and the running "
					  "kernel; always 1.", 1);
		info.samples[0].labels = {{"version", m.version.value_or("")},
					  {"mode", m.mode.value_or("")},
					  {"backend", m.backend ? *m.backend
							       : m.stats ? m.stats->backend : ""},
					  {"kernel", host.uname.release}};
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
