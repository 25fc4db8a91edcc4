// Everything status and metrics report, gathered once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "env.h"
#include "fix_table.h"
#include "foreign_hooks.h"
#include "json.h"
#include "livepatch_state.h"
#include "module_form.h"
#include "verify_record.h"

namespace txqg {

struct ModuleState {
	bool loaded = false;
	std::optional<ModuleForm> form;
	// From the counters, or for txqguard_lp from its name (no root needed).
	std::optional<std::string> backend;
	std::optional<std::string> version;
	std::optional<std::string> mode;
	std::optional<bool> selftest;
	std::optional<std::string> srcversion;
	std::optional<Stats> stats;
	std::optional<std::vector<Probe>> probes;
	// Why stats/probes are missing although the module is loaded.
	std::optional<Error> debugfs_error;
	// txqguard_lp: its patch in /sys/kernel/livepatch, or why it cannot be read.
	std::optional<PatchState> livepatch;
	std::optional<Error> livepatch_error;
};

struct HostState {
	Uname uname;
	FixAssessment fix;	// by the version table
	bool openvswitch_loaded = false;
	ModuleState module;
	bool guarded = false;	// txhash guard enforcing
	// The last verify, when it ran on this kernel build (any boot); its
	// guard checks count only when verify_this_boot.
	std::optional<VerifyRecord> verify;
	bool verify_this_boot = false;
	// What exposure is judged on: verify's behaviour where it could tell,
	// else the table. They disagree only when both have a verdict.
	FixStatus effective_fix = FixStatus::Unknown;
	bool fix_by_behaviour = false;
	bool exposed = false;	// effective_fix vulnerable and not guarded
	std::optional<ForeignHookReport> foreign_hooks;	// when the Env can look

	bool table_disagrees() const
	{
		return fix_by_behaviour && fix.status != FixStatus::Unknown &&
		       fix.status != effective_fix;
	}
};

ModuleState collect_module_state(ModuleParams &params, StatsSource &source,
				 LivepatchState *livepatch = nullptr);
HostState collect_host_state(Env &env);

// The txhash guard stops the lockup on every path, OVS or not; the module
// refuses to load without it, so a loaded module in enforce mode is guarding
// even when the probes cannot be read (no root). A disabled live patch is
// not, whatever its transition still runs.
bool is_guarded(const ModuleState &module);

// Fills effective_fix, fix_by_behaviour and exposed from fix, verify and
// guarded.
void judge_exposure(HostState &host);

}  // namespace txqg
