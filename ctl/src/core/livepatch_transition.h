// Waiting for txqguard_lp's patch to finish switching every task, and what
// to tell the admin when it does not.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "env.h"
#include "json.h"
#include "livepatch_state.h"

namespace txqg {

// Polls until the transition towards enabled ends; disabling, also until
// the patch is gone (the core frees it right after). Errors: Timeout,
// Interrupted, Invalid when the patch turned the other way meanwhile.
// Returns how long it waited.
Result<std::chrono::milliseconds> wait_for_transition(Env &env, bool enabled,
						      std::chrono::milliseconds timeout);

std::chrono::milliseconds seconds_to_ms(double seconds);
// "2.5 s"
std::string seconds_text(std::chrono::milliseconds d);

// "pid 812 tid 815 (iperf3): __schedule+0x282/0x870"
std::string describe_task(const PendingTask &task);
Json to_json(const PendingTask &task);

// What the admin can do about a disable transition that does not end.
std::vector<std::string> disable_remedies(const PatchState &state);

}  // namespace txqg
