#include "cli.h"

#include <algorithm>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "usage_error.h"

namespace txqg {
namespace {

struct Parsed {
	bool json = false;
	bool version = false;
	StatsOptions stats;
	LoadOptions load;
	MetricsOptions metrics;
	FollowOptions follow;
	VerifyOptions verify;
	bool follow_flag = false;
	std::string mode;
	UnloadOptions unload;
};

CLI::App *add_command(CLI::App &app, Parsed &p, const char *name, const char *help)
{
	CLI::App *cmd = app.add_subcommand(name, help);
	cmd->add_flag("--json", p.json, "machine-readable output");
	return cmd;
}

// The commands turn seconds into milliseconds and nanoseconds, which
// overflows past about 30 years (undefined for inf or 1e300); PositiveNumber
// and Range let nan through, as it fails every comparison.
constexpr double kMaxSeconds = 1e9;

CLI::Validator seconds(double min, double max, bool min_allowed)
{
	return CLI::Validator(
		[=](std::string &text) -> std::string {
			double v = 0;
			if (CLI::detail::lexical_cast(text, v) && v <= max &&
			    (min_allowed ? v >= min : v > min))
				return {};
			char range[64];
			std::snprintf(range, sizeof(range), "%s%.15g, %.15g]", min_allowed ? "[" : "(",
				      min, max);
			return "expected seconds in " + std::string(range) + ", got " + text;
		},
		"SECONDS");
}

}  // namespace

int run_cli(const std::vector<std::string> &args, Env &env)
{
	CLI::App app{"Control and observe txqguard.ko, the guard against the "
		     "transmit-queue lockup.",
		     "txqguardctl"};
	Parsed p;
	app.add_flag("--version", p.version, "print the version and exit");
	app.add_flag("--json", p.json, "machine-readable output");
	app.require_subcommand(0, 1);

	auto *status = add_command(app, p, "status",
				   "kernel fix status, module and probe state (exit 3: exposed)");
	auto *stats = add_command(app, p, "stats", "the module's counters (root)");
	auto *watch = stats->add_option("--watch", p.stats.watch_seconds, "repeat every SECONDS")
			      ->check(seconds(0, kMaxSeconds, false));
	stats->add_option("--count", p.stats.count, "stop after N samples")
		->check(CLI::PositiveNumber)
		->needs(watch);
	auto *events = add_command(app, p, "events", "recent lethal events, sampled (root)");
	auto *follow = events->add_flag("--follow", p.follow_flag,
					"print lethal events as they are recorded (generic netlink)");
	events->add_option("--count", p.follow.count, "with --follow: stop after N events")
		->check(CLI::PositiveNumber)
		->needs(follow);
	events->add_option("--timeout", p.follow.timeout_seconds,
			   "with --follow: stop after SECONDS (exit 1 if --count was not reached)")
		->check(seconds(0, kMaxSeconds, false))
		->needs(follow);
	auto *load = add_command(app, p, "load",
				 "load txqguard (live-patch or kprobe form) and check its probes (root)");
	load->add_option("--mode", p.load.mode, "off, detect or enforce (default: enforce)");
	load->add_option("--backend", p.load.backend,
			 "auto (default: the live-patch form where the kernel takes it), "
			 "livepatch or kprobe");
	load->add_option("--module", p.load.module_path,
			 "load this .ko, or the form --backend picks from this directory, instead "
			 "of the installed one");
	load->add_option("--attach", p.load.attach,
			 "how the probes attach: auto (default: the module's own ftrace_ops where "
			 "the kernel has one), ftrace or kprobe")
		->check(CLI::IsMember({"auto", "ftrace", "kprobe"}));
	load->add_flag("--selftest", p.load.selftest, "expose the reproducer hooks in debugfs");
	load->add_option("--timeout", p.load.timeout_seconds,
			 "live-patch form: wait SECONDS for every task to switch (default 30)")
		->check(seconds(0, kMaxSeconds, false));
	auto *unload = add_command(app, p, "unload",
				   "unload txqguard; the live-patch form only once no task runs it (root)");
	unload->add_option("--timeout", p.unload.timeout_seconds,
			   "live-patch form: wait SECONDS for every task to switch back (default 30)")
		->check(seconds(0, kMaxSeconds, false));
	auto *set_mode = add_command(app, p, "set-mode", "change the mode at run time (root)");
	set_mode->add_option("mode", p.mode, "off, detect or enforce")->required();
	auto *verify = add_command(app, p, "verify",
				   "prove the guards live on this kernel in a private test bed (root)");
	auto *reproduce = verify->add_flag("--reproduce", p.verify.reproduce,
					   "run the real race (staging: enforce mode, selftest=1)");
	verify->add_option("--canaries", p.verify.canaries, "frames to send (default 32)")
		->check(CLI::Range(1u, 4096u));
	verify->add_option("--hold-ms", p.verify.hold_ms,
			   "with --reproduce: hold ovs_lock this long (default 3000)")
		->check(CLI::Range(100u, 10000u))
		->needs(reproduce);
	verify->add_option("--flood-after", p.verify.flood_after_seconds,
			   "with --reproduce: keep flooding SECONDS after the hold (default 2)")
		->check(seconds(0, 60, true))
		->needs(reproduce);
	auto *metrics = add_command(app, p, "metrics", "Prometheus text exposition (root)");
	metrics->add_option("--textfile", p.metrics.textfile,
			    "write atomically to PATH (node_exporter textfile collector)");

	std::vector<const char *> argv{"txqguardctl"};
	for (const auto &a : args)
		argv.push_back(a.c_str());
	try {
		app.parse(static_cast<int>(argv.size()), argv.data());
	} catch (const CLI::ExtrasError &e) {
		auto word = std::find_if(args.begin(), args.end(),
					 [](const std::string &a) { return !a.starts_with("-"); });
		if (app.get_subcommands().empty() && word != args.end())
			env.err << "txqguardctl: unknown command '" << *word
				<< "' (see txqguardctl --help)\n";
		else
			env.err << "txqguardctl: " << e.what() << " (see txqguardctl --help)\n";
		return kExitUsage;
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
			return app.exit(e, env.out, env.err);
		env.err << "txqguardctl: " << e.what() << " (see txqguardctl --help)\n";
		return kExitUsage;
	}

	try {
		if (p.version)
			return cmd_version(env, p.json);
		if (status->parsed())
			return cmd_status(env, p.json);
		if (stats->parsed()) {
			p.stats.json = p.json;
			return cmd_stats(env, p.stats);
		}
		if (events->parsed()) {
			if (!p.follow_flag)
				return cmd_events(env, p.json);
			p.follow.json = p.json;
			return cmd_events_follow(env, p.follow);
		}
		if (verify->parsed()) {
			p.verify.json = p.json;
			return cmd_verify(env, p.verify);
		}
		if (load->parsed()) {
			p.load.json = p.json;
			return cmd_load(env, p.load);
		}
		if (unload->parsed()) {
			p.unload.json = p.json;
			return cmd_unload(env, p.unload);
		}
		if (set_mode->parsed())
			return cmd_set_mode(env, p.mode, p.json);
		if (metrics->parsed()) {
			p.metrics.json = p.json;
			return cmd_metrics(env, p.metrics);
		}
		throw UsageError("no command given (see txqguardctl --help)");
	} catch (const UsageError &e) {
		env.err << "txqguardctl: " << e.what() << "\n";
		return kExitUsage;
	}
}

}  // namespace txqg
