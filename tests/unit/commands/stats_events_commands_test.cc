#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "fake_host.h"

namespace txqg::testing {
namespace {

using ::testing::Return;

TEST(StatsCommand, PrintsCounters)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"stats"}), kExitOk);
	EXPECT_NE(host.out().find("backend                      kprobe\n"), std::string::npos)
		<< host.out();
	EXPECT_NE(host.out().find("ovs_output_checked           1184309\n"), std::string::npos);
	EXPECT_NE(host.out().find("events_total                 279096\n"), std::string::npos);
	// Which interface answered, so a fallback is visible.
	EXPECT_NE(host.out().find("source                       debugfs\n"), std::string::npos);
}

TEST(StatsCommand, Json)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"stats", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(host.out());
	EXPECT_EQ(j["mode"], "enforce");
	EXPECT_EQ(j["counters"]["ovs_output_hazards"], 279096);
	EXPECT_EQ(j["counters"].size(), 9u);
	EXPECT_EQ(j["counters"]["ovs_output_port_down"], 5120);
	EXPECT_EQ(j["unload_hold_ms"], 0);
	EXPECT_EQ(j["source"], "debugfs");
}

TEST(StatsCommand, ShowsTheUnloadHoldWithoutADelta)
{
	FakeHost host;
	std::string held = kStatsText;
	held.replace(held.find("hold_ms 0"), 9, "hold_ms 8000");
	std::string later = held;
	later.replace(later.find("hold_ms 8000"), 12, "hold_ms 7500");
	host.module_loaded(held);
	EXPECT_CALL(host.reader, read(DebugfsFile::Stats))
		.WillOnce(Return(Result<std::string>(held)))
		.WillRepeatedly(Return(Result<std::string>(later)));
	EXPECT_EQ(host.run({"stats", "--watch", "0.5", "--count", "2"}), kExitOk);
	EXPECT_NE(host.out().find("\nunload_hold_ms               8000\n"), std::string::npos)
		<< host.out();
	EXPECT_NE(host.out().find("\nunload_hold_ms               7500\n"), std::string::npos)
		<< host.out();
	// Longest name of the contract, and the column the values start in.
	EXPECT_NE(host.out().find("\novs_output_port_down_dropped 5120 (+0)\n"), std::string::npos)
		<< host.out();
}

TEST(StatsCommand, WatchStopsAfterCountWithDeltas)
{
	FakeHost host;
	host.module_loaded();
	std::string second = kStatsText;
	second.replace(second.find("ovs_output_checked 1184309"), 26, "ovs_output_checked 1184400");
	EXPECT_CALL(host.reader, read(DebugfsFile::Stats))
		.WillOnce(Return(Result<std::string>(kStatsText)))
		.WillRepeatedly(Return(Result<std::string>(second)));
	EXPECT_EQ(host.run({"stats", "--watch", "0.5", "--count", "3"}), kExitOk);
	EXPECT_EQ(host.sleeps, 2);
	const std::string out = host.out();
	size_t headers = 0;
	for (size_t at = out.find("--- "); at != std::string::npos; at = out.find("--- ", at + 1))
		headers++;
	EXPECT_EQ(headers, 3u);
	EXPECT_NE(out.find("ovs_output_checked           1184400 (+91)"), std::string::npos) << out;
	EXPECT_NE(out.find("ovs_output_checked           1184400 (+0)"), std::string::npos) << out;
}

TEST(StatsCommand, WatchJsonIsOneObjectPerLine)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"stats", "--json", "--watch", "1", "--count", "2"}), kExitOk);
	std::istringstream lines(host.out());
	std::string line;
	int n = 0;
	while (std::getline(lines, line)) {
		auto j = nlohmann::json::parse(line);
		EXPECT_TRUE(j.contains("time"));
		EXPECT_EQ(j["counters"]["txhash_checked"], 0);
		n++;
	}
	EXPECT_EQ(n, 2);
}

TEST(StatsCommand, InterruptEndsTheWatch)
{
	FakeHost host;
	host.module_loaded();
	host.env.sleep = [&host](std::chrono::milliseconds) {
		host.sleeps++;
		return false;
	};
	EXPECT_EQ(host.run({"stats", "--watch", "1"}), kExitOk);
	EXPECT_EQ(host.sleeps, 1);
}

TEST(StatsCommand, NotRootIsAOneLineFailure)
{
	FakeHost host;
	host.module_loaded();
	host.debugfs_fails(ErrorCode::PermissionDenied,
			   "cannot read /sys/kernel/debug/txqguard/stats: permission denied "
			   "(run as root; kernel lockdown also closes debugfs)");
	EXPECT_EQ(host.run({"stats"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: cannot read /sys/kernel/debug/txqguard/stats: "
			      "permission denied (run as root; kernel lockdown also closes "
			      "debugfs)\n");
	EXPECT_EQ(host.out(), "");
}

TEST(StatsCommand, NotLoaded)
{
	FakeHost host;
	EXPECT_EQ(host.run({"stats"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: txqguard is not loaded\n");
}

TEST(StatsCommand, MalformedStatsAreAFailure)
{
	FakeHost host;
	host.module_loaded("version 0.1.0\nmode enforce\n");
	EXPECT_EQ(host.run({"stats"}), kExitFailure);
	EXPECT_NE(host.err().find("malformed stats"), std::string::npos);
}

TEST(EventsCommand, TextAndJson)
{
	FakeHost host;
	host.module_loaded();
	EXPECT_EQ(host.run({"events"}), kExitOk);
	EXPECT_EQ(host.out(), "2026-11-23T05:39:05.123456789Z cpu=0 guard=ovs_output "
			      "action=dropped ifname=vdie ifindex=6 netns=4026531992 reg_state=1 "
			      "real_num_tx_queues=1 running=0 carrier=0\n");

	FakeHost json_host;
	json_host.module_loaded();
	ON_CALL(json_host.reader, read(DebugfsFile::Events))
		.WillByDefault(Return(Result<std::string>(
			"time=1.000000002 cpu=1 guard=txhash ifname=t\\001\\303\\251 ifindex=9 "
			"netns=7 reg_state=2 real_num_tx_queues=0 running=0 carrier=1 "
			"action=rxq_cleared\n")));
	EXPECT_EQ(json_host.run({"events", "--json"}), kExitOk);
	auto j = nlohmann::json::parse(json_host.out());
	ASSERT_EQ(j.size(), 1u);
	EXPECT_EQ(j[0]["ifname"], "t\\001\\303\\251");
	EXPECT_EQ(j[0]["guard"], "txhash");
	EXPECT_EQ(j[0]["action"], "rxq_cleared");
	EXPECT_EQ(j[0]["time"], "1.000000002");
	EXPECT_EQ(j[0]["carrier"], true);
}

TEST(EventsCommand, NoEvents)
{
	FakeHost host;
	host.module_loaded();
	ON_CALL(host.reader, read(DebugfsFile::Events)).WillByDefault(Return(Result<std::string>("")));
	EXPECT_EQ(host.run({"events"}), kExitOk);
	EXPECT_EQ(host.out(), "no lethal events recorded\n");
}

TEST(EventsCommand, DebugfsNotMounted)
{
	FakeHost host;
	host.module_loaded();
	host.debugfs_fails(ErrorCode::NotMounted,
			   "debugfs is not mounted on /sys/kernel/debug "
			   "(mount -t debugfs debugfs /sys/kernel/debug)");
	EXPECT_EQ(host.run({"events"}), kExitFailure);
	EXPECT_EQ(host.err(), "txqguardctl: debugfs is not mounted on /sys/kernel/debug "
			      "(mount -t debugfs debugfs /sys/kernel/debug)\n");
}

}  // namespace
}  // namespace txqg::testing
