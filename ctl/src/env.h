// What a command runs against: the kernel behind interfaces, and where it
// writes. main() wires the real implementations, tests wire fakes.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>

#include "kernel_info.h"
#include "module_loader.h"
#include "module_params.h"
#include "stats_source.h"

namespace txqg {

enum ExitCode : int {
	kExitOk = 0,
	kExitFailure = 1,
	kExitUsage = 2,
	kExitExposed = 3,	// known vulnerable kernel, no guard enforcing
};

// Sleeps for the interval; false once the user asked to stop (SIGINT).
using Sleeper = std::function<bool(std::chrono::milliseconds)>;

struct Env {
	KernelInfo &kernel;
	ModuleParams &params;
	ModuleLoader &loader;
	StatsSource &source;
	std::ostream &out;
	std::ostream &err;
	Sleeper sleep;
};

// Writes "txqguardctl: <message>" to env.err; returns kExitFailure.
int fail(Env &env, std::string_view message);

}  // namespace txqg
