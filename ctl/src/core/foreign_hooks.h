// Other live patches, kprobes and ftrace users on the functions the guards
// sit on. They are reported, never removed: they may be someone's fix.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hook_lists.h"
#include "json.h"
#include "livepatch_state.h"
#include "probes.h"

namespace txqg {

inline constexpr std::array<std::string_view, 3> kHookTargets = {
	"netdev_core_pick_tx", "netdev_pick_tx", "ovs_vport_send"};

struct ForeignHook {
	std::string function;
	std::string source;	// "livepatch", "kprobe" or "ftrace"
	std::string owner;	// the patch, for "livepatch"
	std::string detail;	// one sentence
};

struct ForeignHookReport {
	std::vector<ForeignHook> hooks;
	// Lists that could not be read ("kprobes: ... permission denied").
	std::vector<std::string> unchecked;

	// The first foreign live patch replacing function, if any.
	const ForeignHook *livepatch_on(std::string_view function) const;
};

// What the kernel lists; a missing part was not checked.
struct HookInputs {
	std::optional<std::vector<PatchedFunction>> patches;
	std::optional<std::vector<KprobeEntry>> kprobes;
	std::optional<std::vector<FtraceRecord>> ftrace;
};

// ours: txqguard's armed probes (empty when it is not loaded). Kprobes and
// ftrace users are counted against them; live patches other than
// txqguard_lp are foreign whatever they patch.
std::vector<ForeignHook> find_foreign_hooks(const HookInputs &in, const std::vector<Probe> &ours);

// Reads and judges the lists. ours == nullptr: txqguard is loaded but its
// probes are unknown (not root), so only live patches can be judged.
ForeignHookReport check_foreign_hooks(LivepatchState *livepatch, HookLists *lists,
				      const std::vector<Probe> *ours);

Json to_json(const ForeignHookReport &report);

}  // namespace txqg
