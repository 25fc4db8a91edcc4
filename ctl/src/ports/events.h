// The module's "events" view: one key=value line per recent lethal event
// (sampled: at most one per CPU every TXQGUARD_EVENT_INTERVAL_MS).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contract.h"
#include "result.h"

namespace txqg {

struct Event {
	std::uint64_t time_sec = 0;
	std::uint32_t time_nsec = 0;
	std::uint32_t cpu = 0;
	txqguard_guard guard = TXQGUARD_GUARD_TXHASH;
	std::string ifname;	// raw bytes, %pE undone
	std::int32_t ifindex = 0;
	std::uint32_t netns = 0;
	std::uint32_t reg_state = 0;
	std::uint32_t real_num_tx_queues = 0;
	bool running = false;
	bool carrier = false;
	txqguard_action action = TXQGUARD_ACTION_DETECTED;
};

// Keys the module may add later are ignored; missing or bad ones are errors.
Result<std::vector<Event>> parse_events(std::string_view text);

// "1795412345.123456789" as the module prints it.
std::string event_time_string(const Event &ev);
// "2026-11-20T12:59:05.123456789Z"
std::string event_time_iso(const Event &ev);

}  // namespace txqg
