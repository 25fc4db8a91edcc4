// txqg-churn: OVS port churn under a tap flood, one process for the whole run.
// Each cycle creates a veth, attaches it to the datapath, points the flood's
// flow at it and at a healthy port, lets traffic run, and deletes it: the
// device itself, or (--netns) the namespace that holds its peer, which the
// kernel then tears down in a batch. Nothing holds ovs_lock: the natural
// race, repeated. The flood (tapflood) writes into --tap from outside.
//
// Prints progress, then one "RESULT cycles=N hazards=H dropped=D healthy_rx=R
// elapsed_ms=E ..." line; exit 0 when every cycle completed and the healthy
// port received frames, 1 otherwise, 2 for a bad command line.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "churn_cycle.h"
#include "debugfs_reader.h"
#include "debugfs_stats_source.h"

namespace {

using namespace txqg;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_stop = 0;

void on_stop_signal(int)
{
	g_stop = 1;
}

// No SA_RESTART: a sleep must end early to notice the request.
void catch_interrupts()
{
	struct sigaction sa {};
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
}

bool sleep_unless_stopped(std::chrono::milliseconds d)
{
	timespec ts{static_cast<time_t>(d.count() / 1000),
		    static_cast<long>(d.count() % 1000) * 1000000};
	while (!g_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !g_stop;
}

struct Counters {
	std::uint64_t ovs_hazards = 0, txhash_hazards = 0, dropped = 0, neutralized = 0;
};

Result<Counters> read_counters(StatsSource &source)
{
	auto s = source.stats();
	if (!s)
		return s.error();
	Counters c;
	for (auto [field, name] : {std::pair{&c.ovs_hazards, "ovs_output_hazards"},
				   std::pair{&c.txhash_hazards, "txhash_hazards"},
				   std::pair{&c.dropped, "ovs_output_dropped"},
				   std::pair{&c.neutralized, "txhash_neutralized"}}) {
		auto v = s->counter(name);
		if (!v)
			return Error{ErrorCode::Parse,
				     std::string("txqguard's stats lack ") + name};
		*field = *v;
	}
	return c;
}

// A module reloaded in between starts again from zero.
std::uint64_t grew(std::uint64_t before, std::uint64_t after)
{
	return after >= before ? after - before : after;
}

int fail(const std::string &message)
{
	std::cerr << "txqg-churn: " << message << "\n";
	return 1;
}

}  // namespace

int main(int argc, char **argv)
{
	ChurnOptions opts;
	unsigned progress = 10;
	std::string debugfs = "/sys/kernel/debug";
	CLI::App app{"OVS port churn under a tap flood; reports txqguard's counters.",
		     "txqg-churn"};
	app.add_option("--tap", opts.tap, "existing tap the flood writes into (becomes port 1)")
		->required();
	app.add_option("--cycles", opts.cycles, "cycles to run (default 100)")
		->check(CLI::Range(1u, 1000000u));
	app.add_flag("--netns", opts.netns,
		     "peer in a namespace of its own (with a datapath); delete the namespace");
	app.add_option("--dwell-ms", opts.dwell, "traffic per cycle before the delete (default 20)")
		->check(CLI::Range(0u, 60000u));
	app.add_option("--queues", opts.queues, "tx queues of each churned veth (default 2)")
		->check(CLI::Range(1u, 64u));
	app.add_option("--port-timeout-ms", opts.port_timeout,
		       "how long OVS may take to drop a dead port (default 10000)")
		->check(CLI::Range(1u, 600000u));
	app.add_option("--datapath", opts.datapath, "datapath to create (default churn0)");
	app.add_option("--progress", progress, "a progress line every N cycles (0: none)");
	app.add_option("--debugfs", debugfs, "where debugfs is mounted");
	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		return app.exit(e) == 0 ? 0 : 2;
	}

	try {
		FsDebugfsReader reader(debugfs);
		DebugfsStatsSource source(reader);
		auto before = read_counters(source);
		if (!before)
			return fail(before.error().message);
		catch_interrupts();

		ChurnBed bed(opts);
		if (auto r = bed.build(); !r)
			return fail(r.error().message);
		std::cout << "churn: " << bed.describe() << std::endl;
		auto healthy_before = bed.healthy_rx();
		if (!healthy_before)
			return fail(healthy_before.error().message);

		unsigned done = 0, quiet = 0;
		std::chrono::milliseconds longest{0};
		std::optional<Error> error;
		const auto start = Clock::now();
		for (unsigned i = 1; i <= opts.cycles; i++) {
			if (g_stop) {
				error = Error{ErrorCode::Interrupted, "interrupted"};
				break;
			}
			const auto t0 = Clock::now();
			auto r = bed.cycle(i, sleep_unless_stopped);
			if (!r) {
				error = Error{r.error().code, "cycle " + std::to_string(i) + ": " +
								      r.error().message};
				break;
			}
			done++;
			longest = std::max(longest,
					   std::chrono::duration_cast<std::chrono::milliseconds>(
						   Clock::now() - t0));
			if (!r->healthy_frames)
				quiet++;
			if (progress && i % progress == 0) {
				auto now = read_counters(source);
				auto rx = bed.healthy_rx();
				if (now && rx)
					std::cout
						<< "churn: cycle " << i << "/" << opts.cycles
						<< " ovs_output_hazards="
						<< grew(before->ovs_hazards, now->ovs_hazards)
						<< " txhash_hazards="
						<< grew(before->txhash_hazards, now->txhash_hazards)
						<< " healthy_rx=" << *rx - *healthy_before
						<< std::endl;
			}
		}
		const auto elapsed =
			std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);

		auto after = read_counters(source);
		auto healthy_after = bed.healthy_rx();
		if (auto r = bed.teardown(); !r && !error)
			error = r.error();
		if (!after)
			return fail(after.error().message);
		if (!healthy_after)
			return fail(healthy_after.error().message);
		const std::uint64_t ovs_hazards = grew(before->ovs_hazards, after->ovs_hazards);
		const std::uint64_t txhash_hazards =
			grew(before->txhash_hazards, after->txhash_hazards);
		const std::uint64_t healthy = *healthy_after - *healthy_before;
		std::cout << "RESULT cycles=" << done << " hazards=" << ovs_hazards + txhash_hazards
			  << " dropped=" << grew(before->dropped, after->dropped)
			  << " healthy_rx=" << healthy << " elapsed_ms=" << elapsed.count()
			  << " shape=" << (opts.netns ? "netns" : "plain")
			  << " ovs_output_hazards=" << ovs_hazards
			  << " txhash_hazards=" << txhash_hazards
			  << " neutralized=" << grew(before->neutralized, after->neutralized)
			  << " quiet_cycles=" << quiet << " max_cycle_ms=" << longest.count()
			  << std::endl;
		if (error)
			return fail(error->message);
		if (healthy == 0)
			return fail("the healthy port received nothing: no traffic crossed the "
				    "datapath");
		return 0;
	} catch (const std::exception &e) {
		return fail(e.what());
	}
}
