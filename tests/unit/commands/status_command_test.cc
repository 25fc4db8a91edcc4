#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_host.h"

namespace txqg::testing {
namespace {

using nlohmann::json;

TEST(StatusCommand, VulnerableKernelWithoutModuleIsExposed)
{
	FakeHost host;
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("EXPOSED"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("upstream 5.10.223"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("txqguard       not loaded"), std::string::npos) << host.out();
}

TEST(StatusCommand, JsonWhenExposed)
{
	FakeHost host;
	host.openvswitch(true);
	EXPECT_EQ(host.run({"status", "--json"}), kExitExposed);
	json j = json::parse(host.out());
	EXPECT_EQ(j["exposed"], true);
	EXPECT_EQ(j["guarded"], false);
	EXPECT_EQ(j["openvswitch_loaded"], true);
	EXPECT_EQ(j["kernel"]["release"], "5.10.0-32-amd64");
	EXPECT_EQ(j["kernel"]["machine"], "x86_64");
	EXPECT_EQ(j["kernel"]["fix"]["status"], "vulnerable");
	EXPECT_EQ(j["kernel"]["fix"]["upstream_version"], "5.10.223");
	EXPECT_EQ(j["kernel"]["fix"]["fixed_in"], "5.10.237");
	EXPECT_EQ(j["module"]["loaded"], false);
}

TEST(StatusCommand, EnforcingModuleProtectsAVulnerableKernel)
{
	FakeHost host;
	host.module_loaded();
	host.openvswitch(true);
	EXPECT_EQ(host.run({"status", "--json"}), kExitOk);
	json j = json::parse(host.out());
	EXPECT_EQ(j["exposed"], false);
	EXPECT_EQ(j["guarded"], true);
	EXPECT_EQ(j["module"]["version"], "0.1.0");
	EXPECT_EQ(j["module"]["mode"], "enforce");
	EXPECT_EQ(j["module"]["selftest"], false);
	EXPECT_EQ(j["module"]["backend"], "kprobe");
	EXPECT_EQ(j["module"]["probes"][0]["guard"], "txhash");
	EXPECT_EQ(j["module"]["probes"][0]["state"], "armed");
	EXPECT_EQ(j["module"]["probes"][1]["module"], "openvswitch");
	EXPECT_EQ(j["module"]["counters"]["ovs_output_dropped"], 279096);
	EXPECT_EQ(j["module"]["counters"]["ovs_output_port_down"], 5120);
	EXPECT_EQ(j["module"]["unload_hold_ms"], 0);
	EXPECT_EQ(j["module"]["srcversion"], kSrcversion);
	EXPECT_EQ(j["kernel"]["build"], kDebian510Build);
	EXPECT_EQ(j["exposure"]["by"], "table");
}

TEST(StatusCommand, DetectModeDoesNotProtect)
{
	FakeHost host;
	host.module_loaded(kStatsText, kProbesArmed, "detect");
	EXPECT_EQ(host.run({"status"}), kExitExposed);
	EXPECT_NE(host.out().find("mode detect"), std::string::npos) << host.out();
}

TEST(StatusCommand, ShowsSelftestHooks)
{
	FakeHost host;
	host.module_loaded(kStatsText, kProbesArmed, "enforce", true);
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("backend kprobe, selftest hooks on\n"), std::string::npos)
		<< host.out();
}

TEST(StatusCommand, TxhashNotArmedDoesNotProtect)
{
	FakeHost host;
	host.module_loaded(kStatsText,
			   "txhash netdev_pick_tx failed err=-2\novs_output ovs_vport_send waiting\n");
	EXPECT_EQ(host.run({"status"}), kExitExposed);
}

TEST(StatusCommand, FixedKernelIsNotExposedWithoutModule)
{
	FakeHost host;
	host.kernel("6.13.2", "Linux version 6.13.2 #1 SMP");
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("fixed: mainline"), std::string::npos) << host.out();
}

TEST(StatusCommand, UnknownVendorKernelIsNotExposed)
{
	FakeHost host;
	host.kernel("5.10.0-60.18.0.50.h322.eulerosv2r11.aarch64", "Linux version ...", "aarch64");
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("unknown: cannot map vendor kernel release"), std::string::npos);
	EXPECT_NE(host.out().find("not known to be exposed: fix status unknown (txqguardctl verify "
				  "tells by behaviour)"),
		  std::string::npos)
		<< host.out();
}

TEST(StatusCommand, OpenEulerFamilyIsAVendor510BuildForVerifyToJudge)
{
	for (const char *release : {"5.10.0-136.12.0.86.oe2203sp1.x86_64",
				    "5.10.0-136.12.0.88.ctl3.aarch64"}) {
		FakeHost host;
		host.kernel(release, "Linux version ...", "aarch64");
		EXPECT_EQ(host.run({"status"}), kExitOk) << release;
		EXPECT_NE(host.out().find("fix            unknown: vendor 5.10 build (openEuler 22.03 "
					  "family): the release string says nothing about the fix; "
					  "verify decides by behaviour\n"),
			  std::string::npos)
			<< host.out();
	}
}

TEST(StatusCommand, ShowsTheUnloadHold)
{
	FakeHost host;
	std::string held = kStatsText;
	held.replace(held.find("hold_ms 0"), 9, "hold_ms 7300");
	host.module_loaded(held);
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("  unload hold  7.3 s more: a lethal hazard was seen"),
		  std::string::npos)
		<< host.out();
	FakeHost quiet;
	quiet.module_loaded();
	EXPECT_EQ(quiet.run({"status"}), kExitOk);
	EXPECT_EQ(quiet.out().find("unload hold"), std::string::npos) << quiet.out();
}

TEST(StatusCommand, WithoutRootShowsWhatSysfsTellsAndStillJudges)
{
	FakeHost host;
	host.module_loaded();
	host.debugfs_fails(ErrorCode::PermissionDenied,
			   "cannot read /sys/kernel/debug/txqguard/stats: permission denied");
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("mode enforce"), std::string::npos);
	EXPECT_NE(host.out().find("unavailable: cannot read"), std::string::npos) << host.out();
	EXPECT_NE(host.out().find("protected"), std::string::npos);
}

TEST(StatusCommand, NotesAnUnarmedOvsGuardWhileOpenvswitchIsLoaded)
{
	FakeHost host;
	host.module_loaded(kStatsText, kProbesWaiting);
	host.openvswitch(true);
	EXPECT_EQ(host.run({"status"}), kExitOk);
	EXPECT_NE(host.out().find("openvswitch is loaded but the ovs_output guard is waiting"),
		  std::string::npos)
		<< host.out();
}

}  // namespace
}  // namespace txqg::testing
