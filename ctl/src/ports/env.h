// What a command runs against: the kernel behind interfaces, and where it
// writes. main() wires the real implementations, tests wire fakes.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>

#include "guard_control.h"
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
	kExitRefused = 4,	// load: a foreign live patch owns what the guard would replace
};

// Sleeps for the interval; false once the user asked to stop (SIGINT).
using Sleeper = std::function<bool(std::chrono::milliseconds)>;

class HookLists;
class LivepatchState;
class Sandbox;
class SelftestHooks;
class VerifyStore;

struct Env {
	KernelInfo &kernel;
	ModuleParams &params;
	ModuleLoader &loader;
	StatsSource &source;
	std::ostream &out;
	std::ostream &err;
	Sleeper sleep;
	// Optional parts; a command that needs a missing one says so.
	GuardControl *control = nullptr;	// the generic netlink family
	Sandbox *sandbox = nullptr;		// verify's private namespace
	SelftestHooks *selftest = nullptr;	// verify --reproduce
	VerifyStore *verify_store = nullptr;	// the last verify, for status
	LivepatchState *livepatch = nullptr;	// without it, only txqguard.ko is loaded
	HookLists *hook_lists = nullptr;	// kprobes and ftrace users, for foreign hooks
	// SIGINT/SIGTERM end long commands through interrupted() once
	// catch_interrupts() ran; until then they end the process.
	std::function<void()> catch_interrupts = [] {};
	std::function<bool()> interrupted = [] { return false; };
	std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

// Writes "txqguardctl: <message>" to env.err; returns kExitFailure.
int fail(Env &env, std::string_view message);

}  // namespace txqg
