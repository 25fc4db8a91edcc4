// /sys/module/txqguard: version, parameters/mode and parameters/selftest as
// sysfs hands them out, then set-mode with a mode from the command line.
// Input: version NUL mode NUL selftest NUL requested-mode.
#include <sstream>

#include "commands.h"
#include "contract.h"
#include "fake_host.h"
#include "fuzz_support.h"
#include "host_state.h"
#include "module_params.h"
#include "sysfs_module_params.h"
#include "usage_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	static const fuzz::ScratchDir dir;
	auto parts = fuzz::split_nul(data, size);
	dir.write("txqguard/version", fuzz::part(parts, 0));
	dir.write("txqguard/parameters/mode", fuzz::part(parts, 1));
	dir.write("txqguard/parameters/selftest", fuzz::part(parts, 2));
	const std::string requested = fuzz::part(parts, 3);

	SysfsModuleParams params(dir.path());
	TXQG_FUZZ_CHECK(params.loaded(kModuleName));
	(void)params.version();
	if (auto mode = params.mode())
		(void)mode_from_name(*mode);
	(void)params.selftest();

	fuzz::FakeHost host;
	ModuleState state = collect_module_state(params, host.source);
	TXQG_FUZZ_CHECK(state.loaded);

	bool valid = true;
	try {
		require_valid_mode(requested);
	} catch (const UsageError &) {
		valid = false;
	}
	TXQG_FUZZ_CHECK(valid == mode_from_name(requested).has_value());

	std::ostringstream out, err;
	Env env{host.kernel, params, host.loader, host.source, out, err,
		[](std::chrono::milliseconds) { return false; }};
	try {
		(void)cmd_set_mode(env, requested, size % 2 == 0);
		TXQG_FUZZ_CHECK(valid);
	} catch (const UsageError &) {
		TXQG_FUZZ_CHECK(!valid);
	}
	if (valid)
		TXQG_FUZZ_CHECK(params.mode() && *params.mode() == requested);
	return 0;
}
