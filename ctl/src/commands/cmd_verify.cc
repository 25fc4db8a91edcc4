// verify and verify --reproduce: the command around verify.cc's test beds.
#include <ctime>
#include <iomanip>

#include "commands.h"
#include "contract.h"
#include "foreign_hooks.h"
#include "module_form.h"
#include "json_convert.h"
#include "time_format.h"
#include "sandbox.h"
#include "verify.h"
#include "verify_store.h"

namespace txqg {
namespace {

std::ostream &row(std::ostream &out, std::string_view key)
{
	return out << "  " << std::left << std::setw(19) << key << " ";
}

Result<void> ensure_module(Env &env, const std::string &name, const std::string &options)
{
	if (env.params.loaded(name))
		return {};
	auto r = env.loader.load_by_name(name, options);
	if (!r && r.error().code != ErrorCode::Exists)
		return r;
	return {};
}

// verify must not change the host beyond what it removes again: only the
// device drivers its test bed needs are loaded, dummy without the dummy0
// it would otherwise create in the host's namespace.
Result<void> prepare_kernel(Env &env)
{
	if (auto r = ensure_module(env, std::string(kOvsModuleName), ""); !r)
		return Error{r.error().code, "Open vSwitch is not available: " + r.error().message};
	// Failures show up, with the kernel's words, when the link is created.
	(void)ensure_module(env, "veth", "");
	(void)ensure_module(env, "dummy", "numdummies=0");
	(void)ensure_module(env, "tun", "");
	return {};
}

// The guards count nothing in mode off; detect counts without acting, and
// only for the canaries' few milliseconds.
class ModeForCanaries {
public:
	ModeForCanaries(Env &env, const std::string &mode) : env_(env), original_(mode) {}
	~ModeForCanaries() { (void)restore(); }

	Result<void> begin()
	{
		if (original_ != kModeNames[TXQGUARD_MODE_OFF])
			return {};
		auto r = change_mode(env_, TXQGUARD_MODE_DETECT);
		if (r)
			switched_ = true;
		return r;
	}

	Result<void> restore()
	{
		if (!switched_)
			return {};
		switched_ = false;
		return change_mode(env_, *mode_from_name(original_));
	}

	bool switches() const { return original_ == kModeNames[TXQGUARD_MODE_OFF]; }

private:
	Env &env_;
	std::string original_;
	bool switched_ = false;
};

Json counts_json(const CanaryCounts &c)
{
	return {{"canaries_sent", c.sent},
		{"healthy_delivered", c.healthy_delivered},
		{"txhash_checked", c.txhash_checked},
		{"ovs_output_checked", c.ovs_output_checked},
		{"down_port_outputs", c.down_port_outputs},
		{"txhash_hazards", c.txhash_hazards},
		{"ovs_output_hazards", c.ovs_output_hazards}};
}

std::string lethal_summary(const CanaryCounts &c)
{
	if (c.lethal_hazards() == 0)
		return "none during the run";
	return std::to_string(c.lethal_hazards()) + " during the run (txhash " +
	       std::to_string(c.txhash_hazards) + ", ovs_output " +
	       std::to_string(c.ovs_output_hazards) +
	       "): not the canaries, which never reach a dying device; something on this host "
	       "output to a device being unregistered meanwhile (txqguardctl events)";
}

// What status and metrics read back (verify_record.h): the verdict counts
// for this kernel build, guard liveness for this boot.
Json record_header(Env &env, const VerifyVerdict &v)
{
	auto uname = env.kernel.uname();
	auto boot_id = env.kernel.boot_id();
	return {{"time", now_iso()},
		{"epoch_seconds", static_cast<std::int64_t>(std::time(nullptr))},
		{"boot_id", boot_id ? *boot_id : ""},
		{"kernel", uname ? uname->release : ""},
		{"kernel_build", uname ? uname->build : ""},
		{"passed", v.guards_live()},
		{"kernel_fix", kernel_fix_name(v.fix)},
		{"kernel_fix_detail", v.fix_detail}};
}

std::string cleanup_summary(const std::vector<std::string> &errors)
{
	if (errors.empty())
		return "datapath, links and namespace removed";
	std::string s = "namespace removed, but: ";
	for (size_t i = 0; i < errors.size(); i++)
		s += (i ? "; " : "") + errors[i];
	return s;
}

int verify_canaries(Env &env, const VerifyOptions &opts, const Stats &stats)
{
	ModeForCanaries mode(env, stats.mode);
	if (auto r = mode.begin(); !r)
		return fail(env, "cannot switch txqguard to detect for the canaries: " +
			    r.error().message);

	std::vector<std::string> cleanup_errors;
	std::optional<Result<CanaryCounts>> counts;
	LabContext ctx{env.source, env.sleep, env.interrupted};
	auto ran = env.sandbox->run([&](Lab &lab) {
		counts.emplace(run_canaries(lab, ctx, opts.canaries, cleanup_errors));
	});
	auto restored = mode.restore();
	if (!ran)
		return fail(env, ran.error().message);
	if (!counts)
		return fail(env, "the test bed did not run");
	if (!*counts) {
		std::string msg = counts->error().code == ErrorCode::Interrupted
			? "interrupted; " + cleanup_summary(cleanup_errors)
			: counts->error().message;
		return fail(env, msg);
	}
	if (!restored)
		env.err << "txqguardctl: cannot restore mode " << stats.mode << ": "
			<< restored.error().message << "\n";

	const CanaryCounts &c = **counts;
	VerifyVerdict v = judge_canaries(c);
	Json checks = Json::array();
	for (const auto &k : v.checks)
		checks.push_back({{"guard", k.name}, {"live", k.passed}, {"detail", k.detail}});
	Json record = record_header(env, v);
	record["checks"] = checks;
	record["counts"] = counts_json(c);
	record["lethal_hazards"] = c.lethal_hazards();
	record["mode"] = stats.mode;
	record["detect_during_canaries"] = mode.switches();
	record["cleanup_errors"] = cleanup_errors;
	// Someone else's hook on a guarded function can change what the guards
	// see; it is worth a warning, not a failure.
	std::optional<ForeignHookReport> hooks;
	if (env.livepatch || env.hook_lists) {
		auto probes = env.source.probes();
		hooks = check_foreign_hooks(env.livepatch, env.hook_lists, probes ? &*probes : nullptr);
		record["foreign_hooks"] = to_json(*hooks);
	}
	if (env.verify_store)
		if (auto r = env.verify_store->save(record); !r)
			env.err << "txqguardctl: warning: cannot keep the result for status and metrics: "
				<< r.error().message << "\n";

	if (opts.json) {
		env.out << dump_json(record, 2) << "\n";
	} else {
		std::ostream &out = env.out;
		out << "verify: private network namespace with datapath " << kVerifyDatapath
		    << ": tap " << kVerifyTap << ", " << kVerifyVethQueues << "-queue veth "
		    << kVerifyVeth << ", admin-down dummy " << kVerifyDown << "\n";
		row(out, "canaries") << c.sent << " sent, " << c.healthy_delivered
				     << " delivered to the healthy port\n";
		for (const auto &k : v.checks)
			row(out, k.name + " guard") << (k.passed ? "live" : "NOT LIVE") << ": "
						    << k.detail << "\n";
		row(out, "kernel fix") << kernel_fix_name(v.fix) << " (by behaviour): "
				       << v.fix_detail << "\n";
		row(out, "lethal hazards") << lethal_summary(c) << "\n";
		row(out, "mode") << stats.mode
				 << (mode.switches() ? " (detect during the canaries, restored)"
						     : " (unchanged)")
				 << "\n";
		row(out, "cleanup") << cleanup_summary(cleanup_errors) << "\n";
		if (hooks) {
			for (const auto &h : hooks->hooks)
				row(out, "warning") << h.detail << "\n";
			for (const auto &u : hooks->unchecked)
				row(out, "not checked") << u << "\n";
		}
		out << "result: " << (v.guards_live() ? "both guards live" : "a guard is NOT live")
		    << "\n";
	}
	return v.guards_live() ? kExitOk : kExitFailure;
}

int verify_reproduce(Env &env, const VerifyOptions &opts, const Stats &stats)
{
	if (stats.mode != kEnforceMode)
		return fail(env, "verify --reproduce runs the real race: txqguard must be in "
			    "enforce mode (it is in " + stats.mode + ")");
	auto selftest = env.params.selftest();
	if (!selftest || !*selftest)
		return fail(env, "verify --reproduce needs txqguard loaded with selftest=1 "
			    "(txqguardctl load --selftest)");
	if (!env.selftest)
		return fail(env, "verify --reproduce is not available in this build");

	ReproduceOptions ro;
	ro.hold = std::chrono::milliseconds(opts.hold_ms);
	ro.flood_after = std::chrono::milliseconds(
		static_cast<long long>(opts.flood_after_seconds * 1000));
	std::vector<std::string> cleanup_errors;
	std::optional<Result<ReproduceCounts>> counts;
	LabContext ctx{env.source, env.sleep, env.interrupted};
	auto ran = env.sandbox->run([&](Lab &lab) {
		counts.emplace(run_reproduce(lab, ctx, *env.selftest, ro, cleanup_errors));
	});
	if (!ran)
		return fail(env, ran.error().message);
	if (!counts)
		return fail(env, "the test bed did not run");
	if (!*counts)
		return fail(env, counts->error().code == ErrorCode::Interrupted
					 ? "interrupted; " + cleanup_summary(cleanup_errors)
					 : "reproducer failed: " + counts->error().message);

	const ReproduceCounts &c = **counts;
	const bool passed = c.hazards() > 0 && c.healthy_window > 0;
	std::string why;
	if (c.hazards() == 0)
		why = "no hazard was seen: the race did not happen";
	else if (c.healthy_window == 0)
		why = "the healthy port received nothing while ovs_lock was held";
	if (opts.json) {
		env.out << dump_json({{"passed", passed},
				      {"reason", why},
				      {"hold_ms", opts.hold_ms},
				      {"injected", c.injected},
				      {"hazards", c.hazards()},
				      {"ovs_output_hazards", c.ovs_output_hazards},
				      {"txhash_hazards", c.txhash_hazards},
				      {"neutralized", c.neutralized},
				      {"port_down", c.port_down},
				      {"healthy_before", c.healthy_before},
				      {"healthy_window", c.healthy_window},
				      {"kernel_survived", true},
				      {"cleanup_errors", cleanup_errors}},
				     2)
			<< "\n";
	} else {
		std::ostream &out = env.out;
		out << "reproduce: ovs_lock held " << opts.hold_ms << " ms while " << kReproDie
		    << " was deleted under a tap flood (private network namespace)\n";
		row(out, "frames injected") << c.injected << "\n";
		row(out, "hazards") << c.hazards() << " (ovs_output " << c.ovs_output_hazards
				    << ", txhash " << c.txhash_hazards << ")\n";
		row(out, "neutralized") << c.neutralized << "\n";
		row(out, "port down") << c.port_down
				      << " outputs while the port was down but registered (not lethal)\n";
		row(out, "healthy in window") << c.healthy_window << " frames to " << kReproOk
					      << " (" << c.healthy_before << " before)\n";
		row(out, "kernel") << "survived\n";
		row(out, "cleanup") << cleanup_summary(cleanup_errors) << "\n";
		out << "result: " << (passed ? "PASS" : "FAIL: " + why) << "\n";
	}
	return passed ? kExitOk : kExitFailure;
}

}  // namespace

int cmd_verify(Env &env, const VerifyOptions &opts)
{
	if (!env.sandbox)
		return fail(env, "verify is not available in this build");
	if (!loaded_form(env.params))
		return fail(env, "txqguard is not loaded (txqguardctl load)");
	// Also opens the family's socket here, in the host's namespace: the
	// family does not exist inside the private one.
	auto stats = env.source.stats();
	if (!stats)
		return fail(env, stats.error().message);
	if (auto r = prepare_kernel(env); !r)
		return fail(env, r.error().message);
	env.catch_interrupts();
	return opts.reproduce ? verify_reproduce(env, opts, *stats)
			      : verify_canaries(env, opts, *stats);
}

}  // namespace txqg
