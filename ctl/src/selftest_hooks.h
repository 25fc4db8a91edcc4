// txqguard's reproducer hook (selftest=1): holding ovs_lock from debugfs,
// and noticing in the kernel log that the hold has begun.
#pragma once

#include <chrono>
#include <string>

#include "result.h"
#include "unique_fd.h"

namespace txqg {

class SelftestHooks {
public:
	virtual ~SelftestHooks() = default;
	// From now on, wait_hold_taken() looks only at new kernel messages.
	virtual Result<void> watch_kernel_log() = 0;
	// Blocks for the whole hold.
	virtual Result<void> hold_ovs_lock(std::chrono::milliseconds hold) = 0;
	virtual Result<void> wait_hold_taken(std::chrono::milliseconds timeout) = 0;
};

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
