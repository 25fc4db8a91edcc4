// Everything status and metrics report, gathered once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "env.h"
#include "fix_table.h"
#include "json.h"

namespace txqg {

struct ModuleState {
	bool loaded = false;
	std::optional<std::string> version;
	std::optional<std::string> mode;
	std::optional<bool> selftest;
	std::optional<Stats> stats;
	std::optional<std::vector<Probe>> probes;
	// Why stats/probes are missing although the module is loaded.
	std::optional<Error> debugfs_error;
};

struct HostState {
	Uname uname;
	FixAssessment fix;
	bool openvswitch_loaded = false;
	ModuleState module;
	bool guarded = false;	// txhash guard enforcing
	bool exposed = false;	// vulnerable and not guarded
	std::optional<Json> verify;	// the last verify of this boot
};

ModuleState collect_module_state(ModuleParams &params, StatsSource &source);
HostState collect_host_state(Env &env);

// The txhash guard stops the lockup on every path, OVS or not; the module
// refuses to load without it, so a loaded module in enforce mode is guarding
// even when the probes cannot be read (no root).
bool is_guarded(const ModuleState &module);

}  // namespace txqg
