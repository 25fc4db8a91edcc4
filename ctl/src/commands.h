// One function per subcommand; each returns the process exit code.
#pragma once

#include <optional>
#include <string>

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
	std::optional<std::string> module_path;
	bool selftest = false;
};

struct MetricsOptions {
	bool json = false;
	std::optional<std::string> textfile;
};

int cmd_version(Env &env, bool json);
int cmd_status(Env &env, bool json);
int cmd_stats(Env &env, const StatsOptions &opts);
int cmd_events(Env &env, bool json);
// Throw UsageError for a mode the module does not know, before any change.
int cmd_load(Env &env, const LoadOptions &opts);
int cmd_unload(Env &env, bool json);
int cmd_set_mode(Env &env, const std::string &mode, bool json);
int cmd_metrics(Env &env, const MetricsOptions &opts);

// Throws UsageError unless mode is one of the contract's modes.
void require_valid_mode(const std::string &mode);

}  // namespace txqg
