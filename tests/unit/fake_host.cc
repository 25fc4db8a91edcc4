#include "fake_host.h"

#include "contract.h"
#include "module_form.h"

namespace txqg::testing {

using ::testing::_;
using ::testing::Return;

FakeHost::FakeHost()
{
	kernel(kDebian510Release, kDebian510ProcVersion, "x86_64", kDebian510Build);
	ON_CALL(kernel_info, boot_id()).WillByDefault([this] {
		return Result<std::string>(boot_id);
	});
	ON_CALL(params, loaded(_)).WillByDefault([this](std::string_view m) {
		if (m == kModuleName)
			return txqguard_loaded;
		if (m == kLivepatchModuleName)
			return txqguard_lp_loaded;
		if (m == kOvsModuleName)
			return openvswitch_loaded;
		return false;
	});
	module_absent();
	ON_CALL(params, refcount())
		.WillByDefault(Return(Result<unsigned>(Error{ErrorCode::NotFound, "no refcnt"})));

	env.livepatch = &livepatch;
	env.hook_lists = &hook_lists;
	livepatch_supported(false);
	ON_CALL(livepatch, state(_))
		.WillByDefault(Return(Result<PatchState>(Error{ErrorCode::NotFound, "no live patch"})));
	ON_CALL(livepatch, set_enabled(_, _)).WillByDefault(Return(Result<void>()));
	ON_CALL(livepatch, patched_functions())
		.WillByDefault(Return(Result<std::vector<PatchedFunction>>(
			std::vector<PatchedFunction>{})));
	ON_CALL(livepatch, pending_tasks(_))
		.WillByDefault(Return(Result<std::vector<PendingTask>>(std::vector<PendingTask>{})));
	ON_CALL(hook_lists, kprobes_list()).WillByDefault(Return(Result<std::string>("")));
	ON_CALL(hook_lists, enabled_functions()).WillByDefault(Return(Result<std::string>("")));
}

void FakeHost::livepatch_loaded(PatchState state, const std::string &stats,
				const std::string &probes)
{
	module_loaded(stats, probes);
	txqguard_loaded = false;
	txqguard_lp_loaded = true;
	livepatch_supported(true);
	ON_CALL(livepatch, state(std::string_view(kLivepatchName)))
		.WillByDefault(Return(Result<PatchState>(state)));
}

void FakeHost::livepatch_supported(bool supported)
{
	ON_CALL(livepatch, supported()).WillByDefault(Return(supported));
}

void FakeHost::fake_clock()
{
	env.now = [this] { return std::chrono::steady_clock::time_point(slept); };
}

void FakeHost::kernel(const std::string &release, const std::string &proc_version,
		      const std::string &machine, const std::string &build)
{
	ON_CALL(kernel_info, uname())
		.WillByDefault(Return(Result<Uname>(Uname{release, machine, build})));
	ON_CALL(kernel_info, proc_version())
		.WillByDefault(Return(Result<std::string>(proc_version)));
}

void FakeHost::module_loaded(const std::string &stats, const std::string &probes,
			     const std::string &mode, bool selftest)
{
	txqguard_loaded = true;
	txqguard_lp_loaded = false;
	ON_CALL(params, selftest()).WillByDefault(Return(Result<bool>(selftest)));
	ON_CALL(params, version()).WillByDefault(Return(Result<std::string>("0.1.0")));
	ON_CALL(params, srcversion()).WillByDefault(Return(Result<std::string>(kSrcversion)));
	ON_CALL(params, mode()).WillByDefault(Return(Result<std::string>(mode)));
	ON_CALL(reader, read(DebugfsFile::Stats)).WillByDefault(Return(Result<std::string>(stats)));
	ON_CALL(reader, read(DebugfsFile::Probes))
		.WillByDefault(Return(Result<std::string>(probes)));
	ON_CALL(reader, read(DebugfsFile::Events))
		.WillByDefault(Return(Result<std::string>(kEventsText)));
}

void FakeHost::module_absent()
{
	txqguard_loaded = false;
	txqguard_lp_loaded = false;
	Error gone{ErrorCode::NotFound, "txqguard is not loaded"};
	ON_CALL(params, version()).WillByDefault(Return(Result<std::string>(gone)));
	ON_CALL(params, mode()).WillByDefault(Return(Result<std::string>(gone)));
	ON_CALL(params, selftest()).WillByDefault(Return(Result<bool>(gone)));
	ON_CALL(params, srcversion()).WillByDefault(Return(Result<std::string>(gone)));
	debugfs_fails(ErrorCode::NotFound, "/sys/kernel/debug/txqguard/stats does not exist");
}

void FakeHost::openvswitch(bool loaded)
{
	openvswitch_loaded = loaded;
}

void FakeHost::debugfs_fails(ErrorCode code, const std::string &message)
{
	ON_CALL(reader, read(_)).WillByDefault(Return(Result<std::string>(Error{code, message})));
}

}  // namespace txqg::testing
