#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_host.h"
#include "file_verify_store.h"
#include "netlink_mocks.h"
#include "temp_dir.h"
#include "verify.h"
#include "verify_store.h"

namespace txqg::testing {
namespace {

using ::testing::_;
using ::testing::InSequence;
using ::testing::Return;

std::string stats_text(const std::string &mode, std::uint64_t tx_checked, std::uint64_t ovs_checked,
		       std::uint64_t port_down, std::uint64_t ovs_hazards = 0)
{
	return "version 0.2.0\nmode " + mode + "\nbackend kprobe\ntxhash_checked " +
	       std::to_string(tx_checked) + "\ntxhash_hazards 0\ntxhash_neutralized 0\n"
	       "ovs_output_checked " + std::to_string(ovs_checked) +
	       "\novs_output_hazards " + std::to_string(ovs_hazards) +
	       "\novs_output_dropped 0\novs_output_port_down " + std::to_string(port_down) +
	       "\novs_output_port_down_dropped 0\nevents_total 0\nhold_ms 0\n";
}

struct VerifyCommand : ::testing::Test {
	FakeHost host;
	FakeSandbox sandbox;
	::testing::NiceMock<MockGuardControl> control;
	TempDir dir;
	FileVerifyStore store{dir.file("var/lib/txqguard/verify.json")};

	VerifyCommand()
	{
		host.env.sandbox = &sandbox;
		host.env.control = &control;
		host.env.verify_store = &store;
		host.openvswitch(true);
		ON_CALL(host.loader, load_by_name(_, _)).WillByDefault(Return(Result<void>()));
		// The loader is strict; drivers for the test bed may be loaded.
		EXPECT_CALL(host.loader, load_by_name(_, _)).Times(::testing::AnyNumber());
		ON_CALL(sandbox.links, stats(std::string(kVerifyVethPeer)))
			.WillByDefault(Return(Result<LinkStats>(LinkStats{})));
	}

	// The module's counters before and after the canaries. An unfixed
	// kernel hands the down port's 32 to ovs_vport_send: port down, not
	// lethal. lethal: hazards someone else caused meanwhile.
	void kernel(const std::string &mode, bool fixed, bool txhash_live = true,
		    std::uint64_t lethal = 0)
	{
		host.module_loaded(stats_text(mode, 0, 0, 0), kProbesArmed, mode);
		EXPECT_CALL(host.reader, read(_)).Times(::testing::AnyNumber());
		const std::string after = stats_text(mode, txhash_live ? 32 : 0, fixed ? 32 : 64,
						     fixed ? 0 : 32, lethal);
		EXPECT_CALL(host.reader, read(DebugfsFile::Stats))
			.WillOnce(Return(Result<std::string>(stats_text(mode, 0, 0, 0))))
			.WillOnce(Return(Result<std::string>(stats_text(mode, 0, 0, 0))))
			.WillRepeatedly(Return(Result<std::string>(after)));
		EXPECT_CALL(control, event_batch()).Times(0);
		LinkStats delivered;
		delivered.rx_packets = 32;
		EXPECT_CALL(sandbox.links, stats(std::string(kVerifyVethPeer)))
			.WillOnce(Return(Result<LinkStats>(LinkStats{})))
			.WillRepeatedly(Return(Result<LinkStats>(delivered)));
	}
};

TEST_F(VerifyCommand, UnfixedKernelBothGuardsLive)
{
	kernel("enforce", false);
	// Only what the test bed needs; dummy without the host-side dummy0.
	EXPECT_CALL(host.loader, load_by_name("dummy", "numdummies=0"));
	EXPECT_CALL(host.loader, load_by_name("openvswitch", _)).Times(0);
	EXPECT_CALL(control, set_mode(_)).Times(0);
	EXPECT_EQ(host.run({"verify"}), kExitOk) << host.err();
	const std::string out = host.out();
	EXPECT_NE(out.find("txhash guard        live: txhash_checked +32"), std::string::npos) << out;
	EXPECT_NE(out.find("ovs_output guard    live: ovs_output_checked +64"), std::string::npos) << out;
	EXPECT_NE(out.find("kernel fix          not fixed (by behaviour): Open vSwitch handed outputs "
			   "for the admin-down port to ovs_vport_send (ovs_output_port_down +32 for "
			   "32 canaries)"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find("lethal hazards      none during the run\n"), std::string::npos) << out;
	EXPECT_NE(out.find("mode                enforce (unchanged)"), std::string::npos) << out;
	EXPECT_NE(out.find("result: both guards live"), std::string::npos) << out;
	EXPECT_EQ(host.err(), "");
	EXPECT_EQ(sandbox.runs, 1);

	auto saved = store.load();
	ASSERT_TRUE(saved);
	EXPECT_EQ((*saved)["kernel_fix"], "not fixed");
	EXPECT_EQ((*saved)["passed"], true);
	EXPECT_EQ((*saved)["boot_id"], "b1");
	EXPECT_EQ((*saved)["kernel"], kDebian510Release);
	EXPECT_EQ((*saved)["kernel_build"], kDebian510Build);
	EXPECT_GT((*saved)["epoch_seconds"].get<std::int64_t>(), 1700000000);
	EXPECT_EQ((*saved)["time"].get<std::string>().size(), 20u);	// 2026-11-22T07:13:55Z
	EXPECT_EQ((*saved)["lethal_hazards"], 0);
	auto record = parse_verify_record(*saved);
	ASSERT_TRUE(record);
	EXPECT_EQ(record->fix, KernelFix::NotFixed);
	EXPECT_TRUE(record->passed);
}

// verify's canaries never go to a dying device; lethal hazards during the
// run are the host's, worth saying but not a failure of verify.
TEST_F(VerifyCommand, LethalHazardsDuringTheRunAreReported)
{
	kernel("enforce", true, true, /*lethal=*/3);
	EXPECT_EQ(host.run({"verify"}), kExitOk) << host.err();
	EXPECT_NE(host.out().find("lethal hazards      3 during the run (txhash 0, ovs_output 3): "
				  "not the canaries"),
		  std::string::npos)
		<< host.out();
	auto saved = store.load();
	ASSERT_TRUE(saved);
	EXPECT_EQ((*saved)["lethal_hazards"], 3);
	EXPECT_EQ((*saved)["counts"]["ovs_output_hazards"], 3);
}

TEST_F(VerifyCommand, StatusShowsTheLastVerify)
{
	kernel("enforce", true);
	ASSERT_EQ(host.run({"verify"}), kExitOk);
	host.out_stream.str("");
	host.run({"status"});
	EXPECT_NE(host.out().find("verify         "), std::string::npos) << host.out();
	EXPECT_NE(host.out().find(": txhash live ovs_output live\n"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("  kernel fix   fixed (by behaviour)"), std::string::npos) << host.out();
	host.out_stream.str("");
	host.run({"status", "--json"});
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["verify"]["kernel_fix"], "fixed");
}

// Behaviour belongs to the kernel build, guard liveness to the boot.
TEST_F(VerifyCommand, AnEarlierBootOfThisBuildKeepsOnlyTheKernelFix)
{
	kernel("enforce", false);
	ASSERT_EQ(host.run({"verify"}), kExitOk);
	host.boot_id = "b2";
	host.module_absent();
	host.out_stream.str("");
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find(", an earlier boot of this kernel build: guard liveness not known "
				  "for this boot\n"),
		  std::string::npos)
		<< host.out();
	EXPECT_EQ(host.out().find("txhash live"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("  kernel fix   not fixed (by behaviour)"), std::string::npos);
	host.out_stream.str("");
	host.run({"status", "--json"});
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["verify_this_boot"], false);
	EXPECT_EQ(j["kernel"]["behaviour"]["kernel_fix"], "not fixed");
	EXPECT_EQ(j["kernel"]["behaviour"]["this_boot"], false);
}

TEST_F(VerifyCommand, StatusIgnoresAVerifyOfAnotherKernelBuild)
{
	kernel("enforce", true);
	ASSERT_EQ(host.run({"verify"}), kExitOk);
	// Same release, rebuilt: what verify saw says nothing about this build.
	host.kernel(kDebian510Release, kDebian510ProcVersion, "x86_64",
		    "#1 SMP Debian 5.10.223-2 (2024-09-01)");
	host.out_stream.str("");
	host.run({"status"});
	EXPECT_EQ(host.out().find("verify"), std::string::npos) << host.out();
	EXPECT_EQ(host.out().find("by behaviour"), std::string::npos) << host.out();
}

TEST_F(VerifyCommand, StatusIgnoresARecordOfAnOlderTxqguardctl)
{
	// What 0.1.0 kept in /run: no kernel build, no epoch.
	ASSERT_TRUE(store.save(Json{{"time", "t"}, {"kernel", kDebian510Release},
				    {"kernel_fix", "fixed"}, {"boot_id", "b1"}}));
	host.run({"status"});
	EXPECT_EQ(host.out().find("verify"), std::string::npos) << host.out();
}

TEST_F(VerifyCommand, JsonReport)
{
	kernel("enforce", true);
	EXPECT_EQ(host.run({"verify", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["kernel_fix"], "fixed");
	EXPECT_EQ(j["checks"][0]["guard"], "txhash");
	EXPECT_EQ(j["checks"][0]["live"], true);
	EXPECT_EQ(j["counts"]["down_port_outputs"], 0);
	EXPECT_EQ(j["passed"], true);
	EXPECT_EQ(j["counts"]["healthy_delivered"], 32);
}

TEST_F(VerifyCommand, DeadGuardFailsTheCommand)
{
	kernel("enforce", false, /*txhash_live=*/false);
	EXPECT_EQ(host.run({"verify"}), kExitFailure);
	EXPECT_NE(host.out().find("txhash guard        NOT LIVE"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("result: a guard is NOT live"), std::string::npos);
}

TEST_F(VerifyCommand, ModeOffIsDetectOnlyDuringTheCanaries)
{
	kernel("off", false);
	{
		InSequence order;
		EXPECT_CALL(control, set_mode(TXQGUARD_MODE_DETECT)).WillOnce(Return(Result<void>()));
		EXPECT_CALL(control, set_mode(TXQGUARD_MODE_OFF)).WillOnce(Return(Result<void>()));
	}
	EXPECT_EQ(host.run({"verify"}), kExitOk) << host.err();
	EXPECT_NE(host.out().find("off (detect during the canaries, restored)"), std::string::npos);
}

TEST_F(VerifyCommand, ModeIsRestoredWhenTheBedFails)
{
	host.module_loaded(stats_text("off", 0, 0, 0), kProbesArmed, "off");
	EXPECT_CALL(sandbox.ovs, add_flow(_, _))
		.WillOnce(Return(Result<void>(Error{ErrorCode::Invalid, "cannot add a flow to datapath txqg-verify: Invalid argument"})));
	EXPECT_CALL(control, set_mode(TXQGUARD_MODE_DETECT)).WillOnce(Return(Result<void>()));
	EXPECT_CALL(control, set_mode(TXQGUARD_MODE_OFF)).WillOnce(Return(Result<void>()));
	EXPECT_CALL(sandbox.ovs, destroy());
	EXPECT_EQ(host.run({"verify"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot add a flow to datapath txqg-verify: Invalid argument\n");
	EXPECT_FALSE(store.load());
}

TEST_F(VerifyCommand, NotLoaded)
{
	EXPECT_EQ(host.run({"verify"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is not loaded (txqguardctl load)\n");
	EXPECT_EQ(sandbox.runs, 0);
}

TEST_F(VerifyCommand, OpenvswitchThatCannotBeLoadedIsAClearFailure)
{
	host.module_loaded();
	host.openvswitch(false);
	EXPECT_CALL(host.loader, load_by_name("openvswitch", ""))
		.WillOnce(Return(Result<void>(Error{ErrorCode::NotFound,
			"cannot load openvswitch: not installed for this kernel"})));
	EXPECT_EQ(host.run({"verify"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: Open vSwitch is not available: cannot load openvswitch: "
			      "not installed for this kernel\n");
	EXPECT_EQ(sandbox.runs, 0);
}

TEST_F(VerifyCommand, NamespaceThatCannotBeMadeIsOneLine)
{
	host.module_loaded();
	sandbox.setup_error = Error{ErrorCode::PermissionDenied,
				    "cannot create a private network namespace: Operation not permitted"};
	EXPECT_EQ(host.run({"verify"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot create a private network namespace: "
			      "Operation not permitted\n");
}

TEST_F(VerifyCommand, ReproduceNeedsEnforce)
{
	host.module_loaded(kStatsText, kProbesArmed, "detect", true);
	EXPECT_CALL(host.reader, read(_)).Times(::testing::AnyNumber());
	EXPECT_CALL(host.reader, read(DebugfsFile::Stats))
		.WillRepeatedly(Return(Result<std::string>(stats_text("detect", 0, 0, 0))));
	::testing::NiceMock<MockSelftestHooks> hooks;
	host.env.selftest = &hooks;
	EXPECT_EQ(host.run({"verify", "--reproduce"}), kExitFailure);
	EXPECT_NE(host.err().find("must be in enforce mode (it is in detect)"), std::string::npos)
		<< host.err();
	EXPECT_EQ(sandbox.runs, 0);
}

TEST_F(VerifyCommand, ReproduceNeedsSelftest)
{
	host.module_loaded(kStatsText, kProbesArmed, "enforce", false);
	::testing::NiceMock<MockSelftestHooks> hooks;
	host.env.selftest = &hooks;
	EXPECT_EQ(host.run({"verify", "--reproduce"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: verify --reproduce needs txqguard loaded with selftest=1 "
			      "(txqguardctl load --selftest)\n");
	EXPECT_EQ(sandbox.runs, 0);
}

TEST_F(VerifyCommand, BadArgumentsAreUsageErrors)
{
	host.module_loaded();
	EXPECT_EQ(host.run({"verify", "--hold-ms", "500"}), kExitUsage);	// needs --reproduce
	EXPECT_EQ(host.run({"verify", "--canaries", "0"}), kExitUsage);
	EXPECT_EQ(host.run({"verify", "--reproduce", "--hold-ms", "20000"}), kExitUsage);
	EXPECT_EQ(host.run({"verify", "extra"}), kExitUsage);
	EXPECT_EQ(sandbox.runs, 0);
}

TEST_F(VerifyCommand, ForeignHooksAreWarningsNotFailures)
{
	kernel("enforce", false);
	// kProbesArmed puts txhash on netdev_pick_tx with ftrace: a second user is foreign.
	ON_CALL(host.hook_lists, enabled_functions())
		.WillByDefault(Return(Result<std::string>(std::string(
			"netdev_pick_tx (2) R I   \n"))));
	EXPECT_EQ(host.run({"verify"}), kExitOk) << host.err();
	EXPECT_NE(host.out().find("  warning             2 ftrace users on netdev_pick_tx, 1 of "
				  "them accounted for by txqguard and the hooks above\n"
				  "result: both guards live"),
		  std::string::npos)
		<< host.out();
	auto saved = store.load();
	ASSERT_TRUE(saved);
	EXPECT_EQ((*saved)["foreign_hooks"]["hooks"][0]["source"], "ftrace");
}

}  // namespace
}  // namespace txqg::testing
