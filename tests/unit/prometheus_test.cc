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
	h.uname = {"5.10.0-32-amd64", "x86_64"};
	h.fix = assess_fix(h.uname.release, testing::kDebian510ProcVersion);
	h.openvswitch_loaded = true;
	h.module.loaded = true;
	h.module.version = "0.1.0";
	h.module.mode = "enforce";
	h.module.stats = *parse_stats(testing::kStatsText);
	h.module.probes = *parse_probes(testing::kProbesWaiting);
	h.guarded = true;
	h.exposed = false;
	return h;
}

TEST(Prometheus, ExactExpositionForALoadedModule)
{
	const std::string expected =
		"# HELP txqguard_module_loaded Whether txqguard.ko is loaded (1) or not (0).\n"
		"# TYPE txqguard_module_loaded gauge\n"
		"txqguard_module_loaded 1\n"
		"# HELP txqguard_exposed Whether the kernel is known vulnerable to the tx-queue "
		"lockup with no txqguard guard enforcing (1) or not (0).\n"
		"# TYPE txqguard_exposed gauge\n"
		"txqguard_exposed 0\n"
		"# HELP txqguard_info txqguard version, mode, backend and the running kernel; "
		"always 1.\n"
		"# TYPE txqguard_info gauge\n"
		"txqguard_info{version=\"0.1.0\",mode=\"enforce\",backend=\"kprobe\","
		"kernel=\"5.10.0-32-amd64\"} 1\n"
		"# HELP txqguard_probe_armed Whether the guard's probe is armed (1) or not (0).\n"
		"# TYPE txqguard_probe_armed gauge\n"
		"txqguard_probe_armed{guard=\"txhash\"} 1\n"
		"txqguard_probe_armed{guard=\"ovs_output\"} 0\n"
		"# HELP txqguard_txhash_checked_total Transmit-queue picks the txhash guard "
		"inspected.\n"
		"# TYPE txqguard_txhash_checked_total counter\n"
		"txqguard_txhash_checked_total 0\n"
		"# HELP txqguard_txhash_hazards_total Transmit-queue picks towards a dying device "
		"that carried a recorded rx queue.\n"
		"# TYPE txqguard_txhash_hazards_total counter\n"
		"txqguard_txhash_hazards_total 0\n"
		"# HELP txqguard_txhash_neutralized_total Hazardous transmit-queue picks whose "
		"recorded rx queue the txhash guard cleared.\n"
		"# TYPE txqguard_txhash_neutralized_total counter\n"
		"txqguard_txhash_neutralized_total 0\n"
		"# HELP txqguard_ovs_output_checked_total Open vSwitch outputs the ovs_output "
		"guard inspected.\n"
		"# TYPE txqguard_ovs_output_checked_total counter\n"
		"txqguard_ovs_output_checked_total 1184309\n"
		"# HELP txqguard_ovs_output_hazards_total Open vSwitch outputs to a port whose "
		"device was not running or had no carrier.\n"
		"# TYPE txqguard_ovs_output_hazards_total counter\n"
		"txqguard_ovs_output_hazards_total 279096\n"
		"# HELP txqguard_ovs_output_dropped_total Hazardous Open vSwitch outputs the "
		"ovs_output guard dropped.\n"
		"# TYPE txqguard_ovs_output_dropped_total counter\n"
		"txqguard_ovs_output_dropped_total 279096\n"
		"# HELP txqguard_events_total Hazard events recorded since txqguard was loaded.\n"
		"# TYPE txqguard_events_total counter\n"
		"txqguard_events_total 279096\n";
	EXPECT_EQ(render_prometheus(build_metrics(loaded_host())), expected);
}

TEST(Prometheus, NotLoadedHasNoInfoNoCountersAndProbesDown)
{
	HostState h;
	h.uname = {"6.1.100", "x86_64"};
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
	const std::string text = render_prometheus(build_metrics(h));
	EXPECT_NE(text.find(R"(kernel="6.6.0-\"odd\"\\build\n"} 1)"), std::string::npos) << text;
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
	EXPECT_EQ(j[3]["samples"][1]["labels"]["guard"], "ovs_output");
	EXPECT_EQ(j[3]["samples"][1]["value"], 0);
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
