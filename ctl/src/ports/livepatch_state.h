// The live-patch core as sysfs and procfs show it: the patches in
// /sys/kernel/livepatch, what they replace, and which tasks a transition is
// still waiting for (/proc/<pid>/task/<tid>/patch_state).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace txqg {

struct PatchState {
	bool enabled = false;
	bool transition = false;	// tasks are still switching to or from it
	bool signal_file = false;	// kernels before 5.1 signal tasks on request only
};

// /sys/kernel/livepatch/<patch>/<object>/<function,sympos>
struct PatchedFunction {
	std::string patch;
	std::string object;	// "vmlinux" or a module
	std::string function;
	unsigned sympos = 0;
};

// A task that has not switched to the state a transition is heading for.
struct PendingTask {
	int pid = 0;
	int tid = 0;
	std::string comm;
	int patch_state = -1;	// -1 no transition, 0 unpatched, 1 patched
	std::string frame;	// the first line of its kernel stack, if readable
};

// A task's patch_state while the patch is being disabled: every task must
// reach "unpatched".
inline constexpr int kTaskUnpatched = 0;
inline constexpr int kTaskPatched = 1;

class LivepatchState {
public:
	virtual ~LivepatchState() = default;
	// The kernel can take live patches (/sys/kernel/livepatch exists).
	virtual bool supported() = 0;
	// NotFound once the patch is gone (never loaded, or disabled and freed).
	virtual Result<PatchState> state(std::string_view patch) = 0;
	virtual Result<void> set_enabled(std::string_view patch, bool enabled) = 0;
	// Every function of every patch; NotFound without live-patch support.
	virtual Result<std::vector<PatchedFunction>> patched_functions() = 0;
	// Tasks in a transition whose patch_state is not target.
	virtual Result<std::vector<PendingTask>> pending_tasks(int target) = 0;
};

}  // namespace txqg
