#include <signal.h>
#include <time.h>

#include <cerrno>
#include <iostream>

#include "cli.h"
#include "debugfs_selftest_hooks.h"
#include "debugfs_stats_source.h"
#include "fallback_stats_source.h"
#include "file_verify_store.h"
#include "fs_hook_lists.h"
#include "genl_stats_source.h"
#include "kmod_module_loader.h"
#include "netns_sandbox.h"
#include "sys_kernel_info.h"
#include "sys_livepatch_state.h"
#include "sysfs_module_params.h"

namespace {

volatile sig_atomic_t g_stop = 0;

void on_stop_signal(int)
{
	g_stop = 1;
}

// Handlers go in only once something waits or builds a test bed, so an
// interrupt anywhere else still ends the process at once. No SA_RESTART:
// a wait in poll(2) must return to notice the request.
void catch_interrupts()
{
	static bool installed = false;
	if (installed)
		return;
	struct sigaction sa {};
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	installed = true;
}

bool interruptible_sleep(std::chrono::milliseconds interval)
{
	catch_interrupts();
	struct timespec ts = {
		static_cast<time_t>(interval.count() / 1000),
		static_cast<long>((interval.count() % 1000) * 1000000),
	};
	while (!g_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !g_stop;
}

}  // namespace

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	try {
		txqg::SysKernelInfo kernel;
		txqg::SysfsModuleParams params;
		txqg::KmodModuleLoader loader;
		txqg::FsDebugfsReader reader;
		txqg::DebugfsStatsSource debugfs(reader);
		txqg::GenlStatsSource genl;
		txqg::FallbackStatsSource source(genl, debugfs);
		txqg::NetnsSandbox sandbox;
		txqg::DebugfsSelftestHooks selftest;
		txqg::FileVerifyStore verify_store;
		txqg::SysLivepatchState livepatch;
		txqg::FsHookLists hook_lists;
		txqg::Env env{kernel, params, loader, source, std::cout, std::cerr,
			      interruptible_sleep};
		env.control = &genl;
		env.sandbox = &sandbox;
		env.selftest = &selftest;
		env.verify_store = &verify_store;
		env.livepatch = &livepatch;
		env.hook_lists = &hook_lists;
		env.catch_interrupts = catch_interrupts;
		env.interrupted = [] { return g_stop != 0; };
		return txqg::run_cli(args, env);
	} catch (const std::exception &e) {
		std::cerr << "txqguardctl: " << e.what() << "\n";
		return txqg::kExitFailure;
	}
}
