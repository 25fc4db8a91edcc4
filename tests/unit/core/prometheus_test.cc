#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "fake_host.h"
#include "prometheus.h"
#include "temp_dir.h"

namespace txqg {
namespace {

HostState loaded_host()
{
	HostState h;
	h.uname = {"5.10.0-32-amd64", "x86_64", testing::kDebian510Build};
	h.fix = assess_fix(h.uname.release, testing::kDebian510ProcVersion);
	h.openvswitch_loaded = true;
	h.module.loaded = true;
	h.module.version = "0.1.0";
	h.module.srcversion = testing::kSrcversion;
	h.module.mode = "enforce";
	h.module.stats = *parse_stats(testing::kStatsText);
	h.module.probes = *parse_probes(testing::kProbesWaiting);
	h.guarded = true;
	h.verify = VerifyRecord{};
	h.verify->epoch_seconds = 1795331635;
	h.verify->passed = true;
	h.verify->fix = KernelFix::NotFixed;
	h.verify_this_boot = true;
	judge_exposure(h);
	return h;
}

TEST(Prometheus, ExactExpositionForALoadedModule)
{
	const std::string expected =
		"# HELP txqguard_module_loaded Whether txqguard.ko is loaded (1) or not (0).\n"
		"# TYPE txqguard_module_loaded gauge\n"
		"txqguard_module_loaded 1\n"
		"# HELP txqguard_exposed Whether the host is exposed to the tx-queue lockup (1): the "
		"kernel lacks the fix, by the last verify on this kernel build where it could tell, "
		"else by the version table, and no txqguard guard is enforcing.\n"
		"# TYPE txqguard_exposed gauge\n"
		"txqguard_exposed 0\n"
		"# HELP txqguard_enforcing Whether txqguard is loaded in enforce mode with its txhash "
		"guard armed (and, for the live-patch form, its patch enabled) (1) or not (0).\n"
		"# TYPE txqguard_enforcing gauge\n"
		"txqguard_enforcing 1\n"
		"# HELP txqguard_openvswitch_loaded Whether the openvswitch module is loaded (1) or "
		"not (0).\n"
		"# TYPE txqguard_openvswitch_loaded gauge\n"
		"txqguard_openvswitch_loaded 1\n"
		"# HELP txqguard_info txqguard version, mode, backend and srcversion, and the running "
		"kernel's release and build; always 1.\n"
		"# TYPE txqguard_info gauge\n"
		"txqguard_info{version=\"0.1.0\",mode=\"enforce\",backend=\"kprobe\","
		"kernel=\"5.10.0-32-amd64\",srcversion=\"3D5C8F2E1A7B9C0D4E6F812\","
		"kernel_build=\"#1 SMP Debian 5.10.223-1 (2024-08-10)\"} 1\n"
		"# HELP txqguard_probe_armed Whether the guard's probe is armed (1) or not (0).\n"
		"# TYPE txqguard_probe_armed gauge\n"
		"txqguard_probe_armed{guard=\"txhash\"} 1\n"
		"txqguard_probe_armed{guard=\"ovs_output\"} 0\n"
		"# HELP txqguard_unload_hold_seconds Seconds until txqguard may be unloaded again, "
		"rounded up: a lethal hazard holds it for unload_hold_s after the last one; 0 when no "
		"hold is open.\n"
		"# TYPE txqguard_unload_hold_seconds gauge\n"
		"txqguard_unload_hold_seconds 0\n"
		"# HELP txqguard_verify_timestamp_seconds When the last txqguardctl verify of this "
		"boot ran (Unix time); absent when none has run since boot.\n"
		"# TYPE txqguard_verify_timestamp_seconds gauge\n"
		"txqguard_verify_timestamp_seconds 1795331635\n"
		"# HELP txqguard_verify_passed Whether the last txqguardctl verify of this boot found "
		"both guards live on the transmit path (1) or not (0).\n"
		"# TYPE txqguard_verify_passed gauge\n"
		"txqguard_verify_passed 1\n"
		"# HELP txqguard_verify_kernel_fix The last txqguardctl verify on this kernel build "
		"(any boot): 1 for its verdict by behaviour (fixed: do_output() drops output to a down "
		"port; not fixed: it hands it to ovs_vport_send; unknown: the ovs_output probe saw "
		"nothing), 0 for the others.\n"
		"# TYPE txqguard_verify_kernel_fix gauge\n"
		"txqguard_verify_kernel_fix{verdict=\"fixed\"} 0\n"
		"txqguard_verify_kernel_fix{verdict=\"not fixed\"} 1\n"
		"txqguard_verify_kernel_fix{verdict=\"unknown\"} 0\n"
		"# HELP txqguard_txhash_checked_total Transmit-queue picks the txhash guard "
		"inspected.\n"
		"# TYPE txqguard_txhash_checked_total counter\n"
		"txqguard_txhash_checked_total 0\n"
		"# HELP txqguard_txhash_hazards_total Lethal transmit-queue picks: a packet with a "
		"recorded rx queue towards a device being unregistered; on a kernel without the fix "
		"each one spins skb_tx_hash() forever (the lockup would have happened here).\n"
		"# TYPE txqguard_txhash_hazards_total counter\n"
		"txqguard_txhash_hazards_total 0\n"
		"# HELP txqguard_txhash_neutralized_total Lethal transmit-queue picks whose recorded "
		"rx queue the txhash guard cleared (enforce), so the pick took its safe hash path.\n"
		"# TYPE txqguard_txhash_neutralized_total counter\n"
		"txqguard_txhash_neutralized_total 0\n"
		"# HELP txqguard_ovs_output_checked_total Open vSwitch outputs the ovs_output guard "
		"inspected.\n"
		"# TYPE txqguard_ovs_output_checked_total counter\n"
		"txqguard_ovs_output_checked_total 1184309\n"
		"# HELP txqguard_ovs_output_hazards_total Lethal Open vSwitch outputs: to a port whose "
		"device is being unregistered; on a kernel without the fix each one hangs its CPU in "
		"skb_tx_hash() (the lockup would have happened here).\n"
		"# TYPE txqguard_ovs_output_hazards_total counter\n"
		"txqguard_ovs_output_hazards_total 279096\n"
		"# HELP txqguard_ovs_output_dropped_total Lethal Open vSwitch outputs the ovs_output "
		"guard dropped (enforce).\n"
		"# TYPE txqguard_ovs_output_dropped_total counter\n"
		"txqguard_ovs_output_dropped_total 279096\n"
		"# HELP txqguard_ovs_output_port_down_total Open vSwitch outputs to a registered port "
		"whose device is not running or has no carrier: what upstream's do_output() drops "
		"silently. Not a lockup; a kernel with the fix never counts one.\n"
		"# TYPE txqguard_ovs_output_port_down_total counter\n"
		"txqguard_ovs_output_port_down_total 5120\n"
		"# HELP txqguard_ovs_output_port_down_dropped_total Port-down Open vSwitch outputs the "
		"ovs_output guard dropped (enforce), as upstream's do_output() does.\n"
		"# TYPE txqguard_ovs_output_port_down_dropped_total counter\n"
		"txqguard_ovs_output_port_down_dropped_total 5120\n"
		"# HELP txqguard_events_total Lethal events recorded in the module's event ring since "
		"it was loaded; sampled (at most one per CPU every 20 ms), while the hazard counters "
		"count every packet.\n"
		"# TYPE txqguard_events_total counter\n"
		"txqguard_events_total 279096\n";
	EXPECT_EQ(render_prometheus(build_metrics(loaded_host())), expected);
}

TEST(Prometheus, NotLoadedHasNoInfoNoCountersAndProbesDown)
{
	HostState h;
	h.uname = {"6.1.100", "x86_64", "#1 SMP"};
	h.fix = assess_fix("6.1.100", "");
	h.exposed = true;
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find("\ntxqguard_module_loaded 0\n"), std::string::npos);
	EXPECT_NE(text.find("\ntxqguard_exposed 1\n"), std::string::npos);
	EXPECT_NE(text.find("txqguard_probe_armed{guard=\"txhash\"} 0\n"), std::string::npos);
	EXPECT_EQ(text.find("txqguard_info"), std::string::npos);
	EXPECT_EQ(text.find("_total"), std::string::npos);
}

TEST(Prometheus, LabelValuesAreEscaped)
{
	EXPECT_EQ(escape_label_value(R"(a"b\c)" "\n" "d"), R"(a\"b\\c\nd)");
	HostState h = loaded_host();
	h.uname.release = "6.6.0-\"odd\"\\build\n";
	h.uname.build = "#1 \"SMP\"";
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find(R"(kernel="6.6.0-\"odd\"\\build\n",)"), std::string::npos) << text;
	EXPECT_NE(text.find(R"(kernel_build="#1 \"SMP\""} 1)"), std::string::npos) << text;
}

TEST(Prometheus, AnOpenHoldNeverReadsZero)
{
	HostState h = loaded_host();
	h.module.stats->hold_ms = 1;
	EXPECT_NE(render_prometheus(build_metrics(h)).find("\ntxqguard_unload_hold_seconds 1\n"),
		  std::string::npos);
	h.module.stats->hold_ms = 10000;
	EXPECT_NE(render_prometheus(build_metrics(h)).find("\ntxqguard_unload_hold_seconds 10\n"),
		  std::string::npos);
	h.module.stats->hold_ms.reset();	// a module that does not say
	EXPECT_EQ(render_prometheus(build_metrics(h)).find("txqguard_unload_hold_seconds"),
		  std::string::npos);
}

TEST(Prometheus, EnforcingAndOpenvswitchAreAlwaysThere)
{
	HostState h;
	h.uname = {"6.1.100", "x86_64", "#1 SMP"};
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find("\ntxqguard_enforcing 0\n"), std::string::npos) << text;
	EXPECT_NE(text.find("\ntxqguard_openvswitch_loaded 0\n"), std::string::npos) << text;
	EXPECT_EQ(text.find("txqguard_verify_"), std::string::npos) << text;
}

TEST(Prometheus, HelpEscapesBackslashAndNewlineOnly)
{
	EXPECT_EQ(escape_help("a\\b\n\"c\""), "a\\\\b\\n\"c\"");
}

TEST(Prometheus, UnknownCountersGetATotalSuffixOnce)
{
	HostState h = loaded_host();
	h.module.stats->counters.emplace_back("future_drops", 5);
	h.module.stats->counters.emplace_back("other_total", 6);
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find("# TYPE txqguard_future_drops_total counter\n"
			    "txqguard_future_drops_total 5\n"),
		  std::string::npos);
	EXPECT_NE(text.find("\ntxqguard_other_total 6\n"), std::string::npos);
}

TEST(Prometheus, JsonCarriesTheSameSamples)
{
	auto j = metrics_to_json(build_metrics(loaded_host()));
	ASSERT_TRUE(j.is_array());
	EXPECT_EQ(j[0]["name"], "txqguard_module_loaded");
	EXPECT_EQ(j[5]["name"], "txqguard_probe_armed");
	EXPECT_EQ(j[5]["samples"][1]["labels"]["guard"], "ovs_output");
	EXPECT_EQ(j[5]["samples"][1]["value"], 0);
}

// promtool (Debian package "prometheus") is the reference parser and linter.
TEST(Prometheus, PassesPromtoolCheckMetrics)
{
	if (std::system("command -v promtool >/dev/null 2>&1") != 0)
		GTEST_SKIP() << "promtool not installed";
	testing::TempDir dir;
	HostState h = loaded_host();
	h.uname.release = "odd \"release\" \\ name";
	std::ofstream(dir.file("m.prom")) << render_prometheus(build_metrics(h));
	const std::string cmd = "promtool check metrics < " + dir.file("m.prom") + " 2>&1";
	EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(Prometheus, LivePatchFormAndForeignHooksPassPromtool)
{
	if (std::system("command -v promtool >/dev/null 2>&1") != 0)
		GTEST_SKIP() << "promtool not installed";
	testing::TempDir dir;
	HostState h = loaded_host();
	h.module.form = ModuleForm::Livepatch;
	h.module.backend = "livepatch";
	h.module.livepatch = PatchState{true, true, false};
	h.foreign_hooks = ForeignHookReport{
		{{"netdev_pick_tx", "kprobe", "", "1 kprobe on netdev_pick_tx (netdev_pick_tx+0x0)"}},
		{}};
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find("backend=\"livepatch\""), std::string::npos) << text;
	EXPECT_NE(text.find("\ntxqguard_livepatch_transition 1\n"), std::string::npos) << text;
	EXPECT_NE(text.find("\ntxqguard_foreign_hooks{function=\"netdev_pick_tx\"} 1\n"),
		  std::string::npos)
		<< text;
	std::ofstream(dir.file("m.prom")) << text;
	const std::string cmd = "promtool check metrics < " + dir.file("m.prom") + " 2>&1";
	EXPECT_EQ(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace txqg
