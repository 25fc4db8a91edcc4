// What only the generic-netlink family offers: changing the mode through
// the module itself, and the hazard notifications.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "contract.h"
#include "events.h"
#include "result.h"

namespace txqg {

// The event rings as of one moment: total counts every lethal event
// recorded since load (sampled, so not every lethal packet), events are the
// most recent of them across all CPUs, oldest first.
struct EventBatch {
	std::uint64_t total = 0;
	std::vector<Event> events;
};

class EventStream {
public:
	virtual ~EventStream() = default;
	// true once the module announced new lethal events, false on timeout,
	// Interrupted when a signal came.
	virtual Result<bool> wait(std::chrono::milliseconds timeout) = 0;
};

class GuardControl {
public:
	virtual ~GuardControl() = default;
	// NotLoaded when the family is absent: callers fall back to sysfs.
	virtual Result<void> set_mode(txqguard_mode mode) = 0;
	virtual Result<EventBatch> event_batch() = 0;
	virtual Result<std::unique_ptr<EventStream>> subscribe_events() = 0;
};

}  // namespace txqg
