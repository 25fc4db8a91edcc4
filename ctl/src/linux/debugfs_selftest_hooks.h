// SelftestHooks through txqguard's debugfs hold file and /dev/kmsg.
#pragma once

#include <chrono>
#include <string>

#include "selftest_hooks.h"
#include "unique_fd.h"

namespace txqg {

class DebugfsSelftestHooks : public SelftestHooks {
public:
	explicit DebugfsSelftestHooks(std::string debugfs_root = "/sys/kernel/debug",
				      std::string kmsg = "/dev/kmsg");
	Result<void> watch_kernel_log() override;
	Result<void> hold_ovs_lock(std::chrono::milliseconds hold) override;
	Result<void> wait_hold_taken(std::chrono::milliseconds timeout) override;

private:
	std::string hold_path_;
	std::string kmsg_path_;
	UniqueFd kmsg_;
};

}  // namespace txqg
