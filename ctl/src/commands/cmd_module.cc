// load and set-mode (unload: cmd_unload.cc).
#include <filesystem>

#include "commands.h"
#include "contract.h"
#include "foreign_hooks.h"
#include "json_convert.h"
#include "livepatch_transition.h"
#include "load_plan.h"
#include "usage_error.h"

namespace txqg {
namespace {

std::string mode_list()
{
	std::string s;
	for (size_t i = 0; i < kModeNames.size(); i++) {
		if (i)
			s += i + 1 == kModeNames.size() ? " or " : ", ";
		s += kModeNames[i];
	}
	return s;
}

// txhash must be armed (it stops the lockup on every path); ovs_output may
// still be waiting for openvswitch to load.
std::optional<std::string> verify_probes(const std::vector<Probe> &probes)
{
	const Probe *txhash = find_probe(probes, kTxhashGuard);
	const Probe *ovs = find_probe(probes, kOvsOutputGuard);
	if (!txhash || txhash->state != TXQGUARD_PROBE_ARMED)
		return "the txhash guard is " +
		       std::string(txhash ? txhash->state_name() : "missing");
	if (!ovs || (ovs->state != TXQGUARD_PROBE_ARMED &&
		     ovs->state != TXQGUARD_PROBE_WAITING))
		return "the ovs_output guard is " +
		       std::string(ovs ? ovs->state_name() : "missing");
	return std::nullopt;
}

// The kernels and machines the guard is built and tested for: dkms.conf's
// BUILD_EXCLUSIVE_KERNEL and BUILD_EXCLUSIVE_ARCH say the same.
std::optional<std::string> unsupported_kernel(KernelInfo &kernel)
{
	auto u = kernel.uname();
	if (!u)
		return "cannot tell which kernel this is: " + u.error().message;
	if (u->machine != "x86_64" && u->machine != "aarch64")
		return "txqguard supports x86_64 and aarch64 hosts, not " + u->machine;
	if (!u->release.starts_with("5.10.") && !u->release.starts_with("6.1."))
		return "txqguard supports 5.10 and 6.1 kernels, not " + u->release;
	return std::nullopt;
}

std::string module_options(const LoadOptions &opts)
{
	std::string options;
	if (opts.mode)
		options = "mode=" + *opts.mode;
	auto add = [&options](const std::string &o) { options += (options.empty() ? "" : " ") + o; };
	if (opts.attach)
		add("attach=" + *opts.attach);
	if (opts.selftest)
		add("selftest=1");
	return options;
}

// What load tells besides the probes.
struct LoadReport {
	std::vector<std::string> notes;	// how the form was chosen
	std::vector<std::string> warnings;
	std::optional<PatchState> livepatch;
	std::optional<std::string> livepatch_line;
};

Backend require_valid_backend(const std::string &name)
{
	auto b = backend_from_name(name);
	if (!b)
		throw UsageError("unknown backend '" + name + "' (expected auto, livepatch or kprobe)");
	return *b;
}

bool is_directory(const std::string &path)
{
	std::error_code ec;
	return std::filesystem::is_directory(path, ec);
}

// The loader's reason without the form it names: the note names it already.
std::string refusal_reason(const Error &e)
{
	if (e.reason.empty())
		return e.message;
	return e.see_kernel_log ? e.reason + ": see the kernel log" : e.reason;
}

bool may_try_next(const Error &e, const LoadCandidate &c)
{
	switch (e.code) {
	case ErrorCode::PermissionDenied:	// the other form would be refused alike
	case ErrorCode::Exists:			// a form appeared meanwhile
		return false;
	case ErrorCode::NotFound:
		return !c.named;
	default:
		return true;
	}
}

// Loads the first form of the plan that the kernel takes.
Result<ModuleForm> load_first(Env &env, const std::vector<LoadCandidate> &plan,
			      const std::string &options, LoadReport &report)
{
	std::optional<std::string> refused;
	for (size_t i = 0; i < plan.size(); i++) {
		const LoadCandidate &c = plan[i];
		auto r = c.path ? env.loader.load_from_path(*c.path, options)
				: env.loader.load_by_name(std::string(module_name(c.form)), options);
		if (r) {
			if (refused)
				report.notes.push_back("live-patch form refused (" + *refused +
						       "); loaded the kprobe form");
			return loaded_form(env.params).value_or(c.form);
		}
		const Error &e = r.error();
		if (i + 1 < plan.size() && may_try_next(e, c)) {
			if (e.code != ErrorCode::NotFound)
				refused = refusal_reason(e);
			continue;
		}
		std::string msg = e.message;
		if (e.code == ErrorCode::NotFound && !c.path)
			msg += " (install it, or pass --module PATH)";
		if (refused)
			msg += " (the live-patch form was refused: " + *refused + ")";
		return Error{e.code, msg};
	}
	return Error{ErrorCode::Invalid, "nothing to load"};
}

// Until every task has switched, those that have not still run the
// unguarded original.
void settle_livepatch(Env &env, const LoadOptions &opts, LoadReport &report)
{
	if (!env.livepatch)
		return;
	auto waited = wait_for_transition(env, true, seconds_to_ms(opts.timeout_seconds));
	std::optional<std::string> warning;
	if (waited) {
		report.livepatch_line = "enabled, every task switched in " + seconds_text(*waited);
	} else if (waited.error().code == ErrorCode::Timeout) {
		report.livepatch_line = "enabled, transition still pending";
		warning = "the live patch is still switching tasks after " +
			  seconds_text(seconds_to_ms(opts.timeout_seconds)) +
			  "; those not yet switched run " + std::string(kLivepatchTarget) +
			  " unguarded until it ends (status shows the transition)";
	} else {
		warning = "cannot follow the live patch's transition: " + waited.error().message;
	}
	if (warning) {
		env.err << "txqguardctl: warning: " << *warning << "\n";
		report.warnings.push_back(*warning);
	}
	if (auto st = env.livepatch->state(kLivepatchName))
		report.livepatch = *st;
}

}  // namespace

Result<void> change_mode(Env &env, txqguard_mode mode)
{
	// Through the module's own family when it has one; sysfs otherwise.
	if (env.control) {
		auto r = env.control->set_mode(mode);
		if (r || r.error().code != ErrorCode::NotLoaded)
			return r;
	}
	return env.params.set_mode(kModeNames[mode]);
}

void require_valid_mode(const std::string &mode)
{
	if (!mode_from_name(mode))
		throw UsageError("unknown mode '" + mode + "' (expected " + mode_list() + ")");
}

int cmd_load(Env &env, const LoadOptions &opts)
{
	if (opts.mode)
		require_valid_mode(*opts.mode);
	const Backend backend = opts.backend ? require_valid_backend(*opts.backend) : Backend::Auto;
	if (auto form = loaded_form(env.params))
		return fail(env, std::string(module_name(*form)) +
			    " is already loaded (unload it first, or use set-mode)");
	if (auto why = unsupported_kernel(env.kernel))
		return fail(env, "refusing to load: " + *why);
	const bool lp_supported = env.livepatch && env.livepatch->supported();
	if (backend == Backend::Livepatch && !lp_supported)
		return fail(env, "refusing to load: this kernel takes no live patches "
			    "(no /sys/kernel/livepatch)");

	static const std::vector<Probe> none;
	const ForeignHookReport hooks = check_foreign_hooks(env.livepatch, env.hook_lists, &none);
	LoadReport report;
	for (const auto &h : hooks.hooks)
		report.warnings.push_back(h.detail);
	auto plan = plan_load(backend, opts.module_path,
			      opts.module_path && is_directory(*opts.module_path), lp_supported);
	if (plan.front().form == ModuleForm::Livepatch)
		if (const ForeignHook *h = hooks.livepatch_on(kLivepatchTarget)) {
			if (backend == Backend::Livepatch) {
				env.err << "txqguardctl: refusing to load " << kLivepatchModuleName
					<< ": " << h->detail
					<< ", and a second live patch would take its place "
					   "(--backend kprobe guards beside it)\n";
				return kExitRefused;
			}
			plan.erase(plan.begin());
			report.notes.push_back("live-patch form not tried (" + h->detail +
					       "); loaded the kprobe form");
		}
	for (const auto &w : report.warnings)
		env.err << "txqguardctl: warning: " << w << "\n";

	auto form = load_first(env, plan, module_options(opts), report);
	if (!form)
		return fail(env, form.error().message);
	const std::string name(module_name(*form));

	auto probes = env.source.probes();
	if (!probes)
		return fail(env, name + " loaded, but its probes cannot be checked: " +
			    probes.error().message);
	if (auto problem = verify_probes(*probes))
		return fail(env, name + " loaded, but " + *problem);
	if (*form == ModuleForm::Livepatch)
		settle_livepatch(env, opts, report);

	auto stats = env.source.stats();
	auto version = env.params.version();
	auto mode = env.params.mode();
	const std::string backend_name = stats ? stats->backend
		: *form == ModuleForm::Livepatch ? std::string(kLivepatchBackend) : "?";
	if (opts.json) {
		Json lp = nullptr;
		if (report.livepatch)
			lp = {{"enabled", report.livepatch->enabled},
			      {"transition", report.livepatch->transition}};
		env.out << dump_json({{"loaded", true},
				      {"module", name},
				      {"backend", backend_name},
				      {"version", version ? *version : ""},
				      {"mode", mode ? *mode : ""},
				      {"probes", to_json(*probes)},
				      {"livepatch", lp},
				      {"notes", report.notes},
				      {"warnings", report.warnings}},
				     2)
			<< "\n";
		return kExitOk;
	}
	for (const auto &n : report.notes)
		env.out << n << "\n";
	env.out << "loaded " << name << " " << (version ? *version : "?") << ", mode "
		<< (mode ? *mode : "?") << ", backend " << backend_name << "\n";
	for (const auto &p : *probes) {
		env.out << "  " << p.guard << " " << p.state_name();
		if (!p.symbol.empty())
			env.out << " (" << p.symbol << ")";
		env.out << "\n";
	}
	if (report.livepatch_line)
		env.out << "  livepatch " << *report.livepatch_line << "\n";
	return kExitOk;
}

int cmd_set_mode(Env &env, const std::string &mode, bool json)
{
	require_valid_mode(mode);
	if (!loaded_form(env.params))
		return fail(env, "txqguard is not loaded");
	auto previous = env.params.mode();
	if (auto r = change_mode(env, *mode_from_name(mode)); !r)
		return fail(env, r.error().message);
	auto now = env.params.mode();
	if (!now)
		return fail(env, now.error().message);
	if (*now != mode)
		return fail(env, "mode is still " + *now + " after writing " + mode);

	if (json)
		env.out << dump_json({{"mode", *now},
				      {"previous", previous ? Json(*previous)
							    : Json(nullptr)}})
			<< "\n";
	else
		env.out << "mode " << (previous ? *previous : "?") << " -> " << *now << "\n";
	return kExitOk;
}

}  // namespace txqg
