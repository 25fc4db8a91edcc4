// txqguard's reproducer hook (selftest=1): holding ovs_lock from debugfs,
// and noticing in the kernel log that the hold has begun.
#pragma once

#include <chrono>
#include <string>

#include "result.h"

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

}  // namespace txqg
