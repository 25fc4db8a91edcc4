#include "fake_host.h"

#include "contract.h"

namespace txqg::testing {

using ::testing::_;
using ::testing::Return;

FakeHost::FakeHost()
{
	kernel(kDebian510Release, kDebian510ProcVersion);
	ON_CALL(params, loaded(_)).WillByDefault([this](std::string_view m) {
		if (m == kModuleName)
			return txqguard_loaded;
		if (m == kOvsModuleName)
			return openvswitch_loaded;
		return false;
	});
	module_absent();
}

void FakeHost::kernel(const std::string &release, const std::string &proc_version,
		      const std::string &machine)
{
	ON_CALL(kernel_info, uname()).WillByDefault(Return(Result<Uname>(Uname{release, machine})));
	ON_CALL(kernel_info, proc_version())
		.WillByDefault(Return(Result<std::string>(proc_version)));
}

void FakeHost::module_loaded(const std::string &stats, const std::string &probes,
			     const std::string &mode, bool selftest)
{
	txqguard_loaded = true;
	ON_CALL(params, selftest()).WillByDefault(Return(Result<bool>(selftest)));
	ON_CALL(params, version()).WillByDefault(Return(Result<std::string>("0.1.0")));
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
	Error gone{ErrorCode::NotFound, "txqguard is not loaded"};
	ON_CALL(params, version()).WillByDefault(Return(Result<std::string>(gone)));
	ON_CALL(params, mode()).WillByDefault(Return(Result<std::string>(gone)));
	ON_CALL(params, selftest()).WillByDefault(Return(Result<bool>(gone)));
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
