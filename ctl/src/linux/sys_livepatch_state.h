// LivepatchState from /sys/kernel/livepatch and /proc, with the parsers of
// the files found there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "livepatch_state.h"

namespace txqg {

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
