// uname -r and /proc/version (and uname -m) as status, metrics and the fix
// table read them. Input: release NUL proc_version NUL machine.
#include "commands.h"
#include "fake_host.h"
#include "fix_table.h"
#include "fuzz_support.h"
#include "host_state.h"
#include "json_convert.h"
#include "prometheus.h"

namespace {

// struct new_utsname: 64 characters and the terminator.
constexpr std::size_t kUtsLen = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	auto parts = fuzz::split_nul(data, size);
	const std::string release = fuzz::part(parts, 0).substr(0, kUtsLen);
	const std::string proc_version = fuzz::part(parts, 1);
	const std::string machine = fuzz::part(parts, 2).substr(0, kUtsLen);

	if (auto up = resolve_upstream_version(release, proc_version)) {
		TXQG_FUZZ_CHECK(up->origin == "release" || up->origin == "debian");
		TXQG_FUZZ_CHECK(up->version.major >= 0 && up->version.minor >= 0 &&
				up->version.patch >= 0);
	}
	FixAssessment fix = assess_fix(release, proc_version);
	if (fix.status == FixStatus::Fixed)
		TXQG_FUZZ_CHECK(fix.upstream && fix.fixed_in && fix.upstream->version >= *fix.fixed_in);
	if (fix.status != FixStatus::Unknown)
		TXQG_FUZZ_CHECK(fix.fixed_in && !fix.reason.empty());

	fuzz::FakeHost host;
	host.kernel.name = Uname{release, machine};
	host.kernel.proc = proc_version;
	// Status reads differently with and without the module; let the input pick.
	host.params.txqguard = size % 2 == 0;
	HostState state = collect_host_state(host.env);
	(void)dump_json(to_json(state), 2);
	(void)render_prometheus(build_metrics(state));
	(void)cmd_status(host.env, false);
	(void)cmd_status(host.env, true);
	return 0;
}
