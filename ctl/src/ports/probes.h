// The module's "probes" view: where each guard is attached, if anywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract.h"
#include "result.h"

namespace txqg {

struct Probe {
	std::string guard;
	std::string symbol;
	txqguard_probe_state state = TXQGUARD_PROBE_DISABLED;
	// Only when armed:
	std::string location;	// "netdev_pick_tx+0x0/0x280"
	std::string module;	// "openvswitch", or empty for the core kernel
	std::string address;	// %pK: hashed or zeroed for the unprivileged
	std::string kind;	// "ftrace-ops", "kprobe-ftrace", "breakpoint", ...
	std::optional<int> err;

	std::string_view state_name() const { return kProbeStateNames[state]; }
};

// guard symbol state [location [\[module\]] address kind] [err=N]
Result<std::vector<Probe>> parse_probes(std::string_view text);

const Probe *find_probe(const std::vector<Probe> &probes, std::string_view guard);

}  // namespace txqg
