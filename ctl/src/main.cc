#include <signal.h>
#include <time.h>

#include <cerrno>
#include <iostream>

#include "cli.h"
#include "debugfs_stats_source.h"

namespace {

volatile sig_atomic_t g_stop = 0;

void on_stop_signal(int)
{
	g_stop = 1;
}

// Handlers go in only once something waits (stats --watch), so an
// interrupt anywhere else still ends the process at once.
bool interruptible_sleep(std::chrono::milliseconds interval)
{
	static bool installed = false;
	if (!installed) {
		struct sigaction sa {};
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, nullptr);
		sigaction(SIGTERM, &sa, nullptr);
		installed = true;
	}
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
		txqg::DebugfsStatsSource source(reader);
		txqg::Env env{kernel, params, loader, source, std::cout, std::cerr,
			      interruptible_sleep};
		return txqg::run_cli(args, env);
	} catch (const std::exception &e) {
		std::cerr << "txqguardctl: " << e.what() << "\n";
		return txqg::kExitFailure;
	}
}
