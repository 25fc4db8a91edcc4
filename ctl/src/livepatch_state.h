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

class SysLivepatchState : public LivepatchState {
public:
	explicit SysLivepatchState(std::string sysfs_root = "/sys/kernel/livepatch",
				   std::string proc_root = "/proc");

	bool supported() override;
	Result<PatchState> state(std::string_view patch) override;
	Result<void> set_enabled(std::string_view patch, bool enabled) override;
	Result<std::vector<PatchedFunction>> patched_functions() override;
	Result<std::vector<PendingTask>> pending_tasks(int target) override;

private:
	std::string sysfs_;
	std::string proc_;
};

// "0\n" or "1\n", as the live-patch core prints its flags.
Result<bool> parse_patch_flag(std::string_view text, std::string_view file);
// "netdev_core_pick_tx,1"; nullopt for any other directory name.
std::optional<std::pair<std::string, unsigned>> parse_function_dir(std::string_view name);
// "-1\n", "0\n" or "1\n".
std::optional<int> parse_task_patch_state(std::string_view text);
// "[<0>] __schedule+0x282/0x870\n..." -> "__schedule+0x282/0x870".
std::string first_stack_frame(std::string_view stack);

}  // namespace txqg
