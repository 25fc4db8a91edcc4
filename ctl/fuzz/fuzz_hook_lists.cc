// The kernel's hook lists and the judgement made from them: NUL-separated
// debugfs kprobes/list, tracefs enabled_functions, txqguard's own probes,
// and live-patch function directory names ("netdev_core_pick_tx,1").
#include <algorithm>

#include "foreign_hooks.h"
#include "fuzz_support.h"
#include "hook_lists.h"
#include "json_convert.h"
#include "livepatch_state.h"
#include "probes.h"
#include "sys_livepatch_state.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	auto parts = fuzz::split_nul(data, size);
	HookInputs in;
	if (auto k = parse_kprobes_list(fuzz::part(parts, 0))) {
		for (const KprobeEntry &e : *k) {
			// A probe with no symbol has no offset into one to report.
			TXQG_FUZZ_CHECK(!e.function.empty() || e.offset == 0);
			TXQG_FUZZ_CHECK(e.active() == (!e.gone && !e.disabled));
		}
		in.kprobes = std::move(*k);
	}
	if (auto f = parse_enabled_functions(fuzz::part(parts, 1))) {
		for (const FtraceRecord &r : *f)
			TXQG_FUZZ_CHECK(!r.function.empty());
		in.ftrace = std::move(*f);
	}
	std::vector<Probe> ours;
	if (auto p = parse_probes(fuzz::part(parts, 2)))
		ours = std::move(*p);
	std::vector<PatchedFunction> patches;
	for (std::size_t i = 3; i < parts.size(); i++) {
		auto dir = parse_function_dir(parts[i]);
		if (!dir)
			continue;
		TXQG_FUZZ_CHECK(!dir->first.empty() && dir->first.size() < parts[i].size());
		patches.push_back({"fuzz_patch", "vmlinux", dir->first, dir->second});
	}
	in.patches = std::move(patches);

	auto hooks = find_foreign_hooks(in, ours);
	for (const ForeignHook &h : hooks) {
		TXQG_FUZZ_CHECK(h.source == "livepatch" || h.source == "kprobe" || h.source == "ftrace");
		TXQG_FUZZ_CHECK(!h.detail.empty());
	}
	ForeignHookReport report{hooks, {}};
	(void)dump_json(to_json(report));
	return 0;
}
