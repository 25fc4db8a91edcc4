#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "commands.h"
#include "fake_host.h"
#include "usage_error.h"

namespace txqg::testing {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::Return;

size_t line_count(const std::string &s)
{
	return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// The fake "kernel" loads the module when the loader is called.
auto loads_module(FakeHost &host, const std::string &probes = kProbesArmed)
{
	return Invoke([&host, probes](const std::string &, const std::string &) {
		host.module_loaded(kStatsText, probes);
		return Result<void>();
	});
}

TEST(LoadCommand, BadModeIsAUsageErrorAndLoadsNothing)
{
	FakeHost host;	// StrictMock loader: any call fails the test
	EXPECT_EQ(host.run({"load", "--mode", "paranoid"}), kExitUsage);
	EXPECT_EQ(host.err(), "txqguardctl: unknown mode 'paranoid' "
			      "(expected off, detect or enforce)\n");
	EXPECT_EQ(host.out(), "");
}

TEST(LoadCommand, BadModeThrowsUsageErrorWhenCalledDirectly)
{
	FakeHost host;
	LoadOptions opts;
	opts.mode = "Enforce";
	EXPECT_THROW(cmd_load(host.env, opts), UsageError);
}

TEST(LoadCommand, UnsupportedKernelSeriesIsRefusedBeforeLoading)
{
	FakeHost host;	// StrictMock loader: any call fails the test
	host.kernel("6.6.15-amd64", "Linux version 6.6.15-amd64 (Debian 6.6.15-2)");
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: refusing to load: txqguard supports 5.10 and 6.1 "
			      "kernels, not 6.6.15-amd64\n");
}

TEST(LoadCommand, UnsupportedMachineIsRefusedBeforeLoading)
{
	FakeHost host;
	host.kernel(kDebian510Release, kDebian510ProcVersion, "ppc64le");
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: refusing to load: txqguard supports x86_64 and "
			      "aarch64 hosts, not ppc64le\n");
}

TEST(LoadCommand, LoadsByNameWithOptionsAndVerifiesProbes)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name("txqguard", "mode=detect selftest=1"))
		.WillOnce(loads_module(host, kProbesWaiting));
	EXPECT_EQ(host.run({"load", "--mode", "detect", "--selftest"}), kExitOk);
	EXPECT_NE(host.out().find("loaded txqguard 0.1.0"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("ovs_output waiting"), std::string::npos) << host.out();
	EXPECT_EQ(host.err(), "");
}

TEST(LoadCommand, AttachIsPassedToTheModule)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name("txqguard", "attach=kprobe"))
		.WillOnce(loads_module(host, kProbesWaiting));
	EXPECT_EQ(host.run({"load", "--attach", "kprobe"}), kExitOk);
	EXPECT_EQ(host.err(), "");
}

TEST(LoadCommand, UnknownAttachIsAUsageErrorAndLoadsNothing)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name).Times(0);
	EXPECT_CALL(host.loader, load_from_path).Times(0);
	EXPECT_EQ(host.run({"load", "--attach", "int3"}), kExitUsage);
	EXPECT_NE(host.err().find("--attach"), std::string::npos) << host.err();
}

TEST(LoadCommand, LoadsFromAnExplicitPath)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_from_path("/tmp/build/txqguard.ko", ""))
		.WillOnce(loads_module(host));
	EXPECT_EQ(host.run({"load", "--module", "/tmp/build/txqguard.ko", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["loaded"], true);
	EXPECT_EQ(j["probes"][1]["state"], "armed");
}

TEST(LoadCommand, FailsWhenTxhashIsNotArmed)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name(_, _))
		.WillOnce(loads_module(host, "txhash netdev_pick_tx failed err=-22\n"
					     "ovs_output ovs_vport_send waiting\n"));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard loaded, but the txhash guard is failed\n");
}

TEST(LoadCommand, FailsWhenOvsGuardFailed)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name(_, _))
		.WillOnce(loads_module(host, "txhash netdev_pick_tx armed x+0x0/0x1 0 ftrace\n"
					     "ovs_output ovs_vport_send failed err=-2\n"));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_NE(host.err().find("the ovs_output guard is failed"), std::string::npos);
}

TEST(LoadCommand, AlreadyLoadedLoadsNothing)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_NE(host.err().find("already loaded"), std::string::npos);
}

TEST(LoadCommand, LoaderErrorIsOneLine)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name(_, _))
		.WillOnce(Return(Result<void>(Error{ErrorCode::PermissionDenied,
						    "cannot load txqguard: permission denied "
						    "(run as root)"})));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_EQ(host.err(),
		  "txqguardctl: cannot load txqguard: permission denied (run as root)\n");
}

TEST(LoadCommand, UnverifiableProbesAreAFailure)
{
	FakeHost host;
	EXPECT_CALL(host.loader, load_by_name(_, _)).WillOnce(Invoke([&host](auto &, auto &) {
		host.txqguard_loaded = true;
		host.debugfs_fails(ErrorCode::NotMounted, "debugfs is not mounted on /sys/kernel/debug");
		return Result<void>();
	}));
	EXPECT_EQ(host.run({"load"}), kExitFailure);
	EXPECT_NE(host.err().find("cannot be checked: debugfs is not mounted"), std::string::npos);
	EXPECT_EQ(line_count(host.err()), 1u);
}

TEST(UnloadCommand, RemovesTheModule)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_CALL(host.loader, remove("txqguard")).WillOnce(Return(Result<void>()));
	EXPECT_EQ(host.run({"unload"}), kExitOk);
	EXPECT_EQ(host.out(), "unloaded txqguard\n");
}

TEST(UnloadCommand, NotLoadedRemovesNothing)
{
	FakeHost host;
	EXPECT_EQ(host.run({"unload", "--json"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is not loaded\n");
}

TEST(UnloadCommand, BusyIsReported)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_CALL(host.loader, remove("txqguard"))
		.WillOnce(Return(Result<void>(Error{ErrorCode::Busy,
						    "cannot unload txqguard: it is in use"})));
	EXPECT_EQ(host.run({"unload"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot unload txqguard: it is in use\n");
}

TEST(SetModeCommand, WritesTheParameterAndReportsTheChange)
{
	FakeHost host;
	host.module_loaded();
	std::string mode = "enforce";
	ON_CALL(host.params, mode()).WillByDefault([&mode] { return Result<std::string>(mode); });
	EXPECT_CALL(host.params, set_mode(std::string_view("detect")))
		.WillOnce([&mode](std::string_view m) {
			mode = m;
			return Result<void>();
		});
	EXPECT_EQ(host.run({"set-mode", "detect", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["mode"], "detect");
	EXPECT_EQ(j["previous"], "enforce");
}

TEST(SetModeCommand, BadModeChangesNothing)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_CALL(host.params, set_mode(_)).Times(0);
	EXPECT_EQ(host.run({"set-mode", "loud"}), kExitUsage);
	EXPECT_EQ(line_count(host.err()), 1u);
	EXPECT_NE(host.err().find("unknown mode 'loud'"), std::string::npos);
}

TEST(SetModeCommand, NotRootIsAOneLineFailure)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_CALL(host.params, set_mode(_))
		.WillOnce(Return(Result<void>(
			Error{ErrorCode::PermissionDenied,
			      "cannot write /sys/module/txqguard/parameters/mode: permission "
			      "denied (run as root)"})));
	EXPECT_EQ(host.run({"set-mode", "off"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot write /sys/module/txqguard/parameters/mode: "
			      "permission denied (run as root)\n");
}

TEST(SetModeCommand, NotLoaded)
{
	FakeHost host;
	EXPECT_CALL(host.params, set_mode(_)).Times(0);
	EXPECT_EQ(host.run({"set-mode", "off"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is not loaded\n");
}

}  // namespace
}  // namespace txqg::testing
