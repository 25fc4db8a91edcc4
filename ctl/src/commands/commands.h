// One function per subcommand; each returns the process exit code.
#pragma once

#include <optional>
#include <string>

#include "contract.h"
#include "env.h"

namespace txqg {

struct StatsOptions {
	bool json = false;
	std::optional<double> watch_seconds;
	std::optional<unsigned> count;	// samples to print when watching
};

struct LoadOptions {
	bool json = false;
	std::optional<std::string> mode;
	std::optional<std::string> module_path;	// a .ko, or a directory with both forms
	std::optional<std::string> backend;	// auto (default), livepatch or kprobe
	std::optional<std::string> attach;	// the module's attach=: auto, ftrace or kprobe
	bool selftest = false;
	double timeout_seconds = 30;	// txqguard_lp: for every task to switch
};

struct UnloadOptions {
	bool json = false;
	double timeout_seconds = 30;	// txqguard_lp: for every task to switch back
};

struct FollowOptions {
	bool json = false;
	std::optional<unsigned> count;		// stop after N events
	std::optional<double> timeout_seconds;	// stop after S seconds
};

struct VerifyOptions {
	bool json = false;
	bool reproduce = false;
	unsigned canaries = 32;
	unsigned hold_ms = 3000;	// --reproduce: how long ovs_lock is held
	double flood_after_seconds = 2;	// --reproduce: flooding after the hold
};

struct MetricsOptions {
	bool json = false;
	std::optional<std::string> textfile;
};

int cmd_version(Env &env, bool json);
int cmd_status(Env &env, bool json);
int cmd_stats(Env &env, const StatsOptions &opts);
int cmd_events(Env &env, bool json);
// Prints lethal events as the module announces them (generic netlink only).
int cmd_events_follow(Env &env, const FollowOptions &opts);
int cmd_verify(Env &env, const VerifyOptions &opts);
// Throw UsageError for a mode the module does not know, before any change.
int cmd_load(Env &env, const LoadOptions &opts);
// txqguard_lp: disables the patch, waits for its transition, then removes
// the module; on a timeout it lists the tasks still behind and removes
// nothing.
int cmd_unload(Env &env, const UnloadOptions &opts);
int cmd_set_mode(Env &env, const std::string &mode, bool json);
int cmd_metrics(Env &env, const MetricsOptions &opts);

// Generic netlink first, sysfs when the family is absent.
Result<void> change_mode(Env &env, txqguard_mode mode);

// Throws UsageError unless mode is one of the contract's modes.
void require_valid_mode(const std::string &mode);

}  // namespace txqg
