// load, unload and set-mode: the commands that change the host.
#include "commands.h"
#include "contract.h"
#include "json_convert.h"
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
	if (opts.selftest)
		options += std::string(options.empty() ? "" : " ") + "selftest=1";
	return options;
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
	if (env.params.loaded(kModuleName))
		return fail(env, "txqguard is already loaded (unload it first, or use set-mode)");
	if (auto why = unsupported_kernel(env.kernel))
		return fail(env, "refusing to load: " + *why);

	const std::string options = module_options(opts);
	auto loaded = opts.module_path
		? env.loader.load_from_path(*opts.module_path, options)
		: env.loader.load_by_name(std::string(kModuleName), options);
	if (!loaded) {
		if (loaded.error().code == ErrorCode::NotFound && !opts.module_path)
			return fail(env, loaded.error().message + " (install it, or pass --module PATH)");
		return fail(env, loaded.error().message);
	}

	auto probes = env.source.probes();
	if (!probes)
		return fail(env, "txqguard loaded, but its probes cannot be checked: " +
			    probes.error().message);
	if (auto problem = verify_probes(*probes))
		return fail(env, "txqguard loaded, but " + *problem);

	auto version = env.params.version();
	auto mode = env.params.mode();
	if (opts.json) {
		env.out << dump_json({{"loaded", true},
				      {"version", version ? *version : ""},
				      {"mode", mode ? *mode : ""},
				      {"probes", to_json(*probes)}},
				     2)
			<< "\n";
		return kExitOk;
	}
	env.out << "loaded txqguard " << (version ? *version : "?") << ", mode "
		<< (mode ? *mode : "?") << "\n";
	for (const auto &p : *probes) {
		env.out << "  " << p.guard << " " << p.state_name();
		if (!p.symbol.empty())
			env.out << " (" << p.symbol << ")";
		env.out << "\n";
	}
	return kExitOk;
}

int cmd_unload(Env &env, bool json)
{
	if (!env.params.loaded(kModuleName))
		return fail(env, "txqguard is not loaded");
	if (auto r = env.loader.remove(std::string(kModuleName)); !r)
		return fail(env, r.error().message);
	if (json)
		env.out << dump_json({{"unloaded", true}}) << "\n";
	else
		env.out << "unloaded txqguard\n";
	return kExitOk;
}

int cmd_set_mode(Env &env, const std::string &mode, bool json)
{
	require_valid_mode(mode);
	if (!env.params.loaded(kModuleName))
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
