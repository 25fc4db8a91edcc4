// uname -r and /proc/version (and uname -m, uname -v) as status, metrics
// and the fix table read them, with the verify record status weighs
// against them. Input: release NUL proc_version NUL machine NUL build NUL
// verify.json.
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
	const std::string build = fuzz::part(parts, 3).substr(0, kUtsLen);
	const std::string saved = fuzz::part(parts, 4);

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
	host.kernel.name = Uname{release, machine, build};
	host.kernel.proc = proc_version;
	Json record = Json::parse(saved, nullptr, false);
	if (!record.is_discarded())
		host.verify_store.saved = std::move(record);
	// Status reads differently with and without the module; let the input pick.
	host.params.txqguard = size % 2 == 0;
	HostState state = collect_host_state(host.env);
	// Behaviour wins only with a record of this very build.
	if (state.fix_by_behaviour)
		TXQG_FUZZ_CHECK(state.verify && state.verify->kernel == release &&
				state.verify->kernel_build == build && !build.empty());
	TXQG_FUZZ_CHECK(!state.exposed || state.effective_fix == FixStatus::Vulnerable);
	(void)dump_json(to_json(state), 2);
	(void)render_prometheus(build_metrics(state));
	(void)cmd_status(host.env, false);
	(void)cmd_status(host.env, true);
	return 0;
}
