#include "foreign_hooks.h"

#include <algorithm>
#include <cstdio>

#include "module_form.h"

namespace txqg {
namespace {

// How txqguard's own probes show up in the kernel's lists. A kprobe on an
// ftrace site rides the kprobes' shared ftrace_ops, and every live patch of
// one function shares the live-patch core's ftrace_ops: each such ops counts
// once in enabled_functions however many hooks use it.
struct OwnHooks {
	size_t kprobes = 0;
	size_t ftrace_ops = 0;	// ops of txqguard's own
	bool kprobe_ftrace = false;
	bool livepatch = false;
};

OwnHooks own_hooks(const std::vector<Probe> &ours, std::string_view function)
{
	OwnHooks own;
	for (const auto &p : ours) {
		if (p.state != TXQGUARD_PROBE_ARMED || p.symbol != function)
			continue;
		if (p.kind.starts_with("kprobe") || p.kind == "breakpoint")
			own.kprobes++;
		if (p.kind == "kprobe-ftrace")
			own.kprobe_ftrace = true;
		else if (p.kind.starts_with("ftrace"))
			own.ftrace_ops++;
		else if (p.kind == kLivepatchBackend)
			own.livepatch = true;
	}
	return own;
}

std::string plural(size_t n, const std::string &word)
{
	return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string join(const std::vector<std::string> &parts)
{
	std::string s;
	for (size_t i = 0; i < parts.size(); i++)
		s += (i ? ", " : "") + parts[i];
	return s;
}

std::string kprobe_location(const KprobeEntry &k)
{
	char offset[24];
	std::snprintf(offset, sizeof(offset), "+0x%lx", k.offset);
	std::string s = k.function + offset;
	if (k.retprobe)
		s += " return";
	if (k.ftrace)
		s += " [FTRACE]";
	return s;
}

void judge_function(const HookInputs &in, const std::vector<Probe> &ours, std::string_view f,
		    std::vector<ForeignHook> &hooks)
{
	const std::string fn(f);
	const OwnHooks own = own_hooks(ours, f);

	bool foreign_patch = false;
	if (in.patches)
		for (const auto &p : *in.patches) {
			if (p.function != f || p.patch == kLivepatchName)
				continue;
			foreign_patch = true;
			hooks.push_back({fn, "livepatch", p.patch,
					 "live patch " + p.patch + " replaces " + fn + " (" + p.object +
						 ", sympos " + std::to_string(p.sympos) + ")"});
		}

	bool foreign_kprobe_ftrace = false;
	if (in.kprobes) {
		std::vector<std::string> where;
		for (const auto &k : *in.kprobes)
			if (k.function == f && k.active())
				where.push_back(kprobe_location(k));
		if (where.size() > own.kprobes) {
			size_t n = where.size() - own.kprobes;
			foreign_kprobe_ftrace = std::any_of(
				in.kprobes->begin(), in.kprobes->end(),
				[f](const KprobeEntry &k) { return k.function == f && k.active() && k.ftrace; });
			hooks.push_back({fn, "kprobe", "",
					 plural(n, "kprobe") + " on " + fn +
						 (own.kprobes ? " besides txqguard's" : "") + " (" +
						 join(where) + ")"});
		}
	}

	if (!in.ftrace)
		return;
	for (const auto &r : *in.ftrace) {
		if (r.function != f)
			continue;
		const size_t expected = own.ftrace_ops +
					(own.kprobe_ftrace || foreign_kprobe_ftrace ? 1 : 0) +
					(own.livepatch || foreign_patch ? 1 : 0);
		const std::string handlers =
			r.handlers.empty() ? "" : " (" + join(r.handlers) + ")";
		if (r.users > expected) {
			hooks.push_back({fn, "ftrace", "",
					 plural(r.users, "ftrace user") + " on " + fn + ", " +
						 std::to_string(expected) +
						 " of them accounted for by txqguard and the hooks above" +
						 handlers});
		} else if (r.ipmodify() && !own.livepatch && !own.ftrace_ops && !foreign_patch) {
			hooks.push_back({fn, "ftrace", "",
					 "an ftrace user that is not txqguard's may redirect " + fn +
						 " (IPMODIFY)" + handlers});
		}
	}
}

}  // namespace

const ForeignHook *ForeignHookReport::livepatch_on(std::string_view function) const
{
	for (const auto &h : hooks)
		if (h.source == "livepatch" && h.function == function)
			return &h;
	return nullptr;
}

std::vector<ForeignHook> find_foreign_hooks(const HookInputs &in, const std::vector<Probe> &ours)
{
	std::vector<ForeignHook> hooks;
	for (std::string_view f : kHookTargets)
		judge_function(in, ours, f, hooks);
	return hooks;
}

ForeignHookReport check_foreign_hooks(LivepatchState *livepatch, HookLists *lists,
				      const std::vector<Probe> *ours)
{
	ForeignHookReport report;
	HookInputs in;
	if (livepatch && livepatch->supported()) {
		if (auto p = livepatch->patched_functions())
			in.patches = std::move(*p);
		else
			report.unchecked.push_back("live patches: " + p.error().message);
	}
	if (lists && ours) {
		if (auto text = lists->kprobes_list()) {
			if (auto k = parse_kprobes_list(*text))
				in.kprobes = std::move(*k);
			else
				report.unchecked.push_back("kprobes: " + k.error().message);
		} else {
			report.unchecked.push_back("kprobes: " + text.error().message);
		}
		if (auto text = lists->enabled_functions()) {
			if (auto r = parse_enabled_functions(*text))
				in.ftrace = std::move(*r);
			else
				report.unchecked.push_back("ftrace: " + r.error().message);
		} else {
			report.unchecked.push_back("ftrace: " + text.error().message);
		}
	} else if (lists) {
		report.unchecked.push_back("kprobes and ftrace: txqguard's own probes are unknown");
	}
	report.hooks = find_foreign_hooks(in, ours ? *ours : std::vector<Probe>{});
	return report;
}

Json to_json(const ForeignHookReport &report)
{
	Json hooks = Json::array();
	for (const auto &h : report.hooks) {
		Json j = {{"function", h.function}, {"source", h.source}, {"detail", h.detail}};
		if (!h.owner.empty())
			j["owner"] = h.owner;
		hooks.push_back(std::move(j));
	}
	return {{"hooks", hooks}, {"unchecked", report.unchecked}};
}

}  // namespace txqg
