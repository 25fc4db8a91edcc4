#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "netlink_mocks.h"
#include "verify.h"

namespace txqg::testing {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::InSequence;
using ::testing::Return;

struct Counts {
	std::uint64_t tx_checked = 0, ovs_checked = 0, port_down = 0;
	std::uint64_t ovs_hazards = 0, ovs_dropped = 0, tx_hazards = 0, tx_neutralized = 0;
};

Stats counters(const Counts &c)
{
	Stats s;
	s.version = "0.2.0";
	s.mode = "enforce";
	s.backend = "kprobe";
	s.counters = {{"txhash_checked", c.tx_checked},
		      {"txhash_hazards", c.tx_hazards},
		      {"txhash_neutralized", c.tx_neutralized},
		      {"ovs_output_checked", c.ovs_checked},
		      {"ovs_output_hazards", c.ovs_hazards},
		      {"ovs_output_dropped", c.ovs_dropped},
		      {"ovs_output_port_down", c.port_down},
		      {"ovs_output_port_down_dropped", c.port_down}};
	return s;
}

LinkStats rx(std::uint64_t n)
{
	LinkStats s;
	s.rx_packets = n;
	return s;
}

struct VerifyBed : ::testing::Test {
	FakeSandbox sandbox;
	::testing::NiceMock<MockStatsSource> stats;
	std::vector<std::string> cleanup_errors;
	int sleeps = 0;
	bool stop = false;
	LabContext ctx{stats,
		       [this](std::chrono::milliseconds) {
			       sleeps++;
			       return true;
		       },
		       [this] { return stop; }};

	Result<CanaryCounts> canaries(unsigned n = 32)
	{
		std::optional<Result<CanaryCounts>> out;
		EXPECT_TRUE(sandbox.run([&](Lab &lab) { out.emplace(run_canaries(lab, ctx, n, cleanup_errors)); }));
		return std::move(*out);
	}

	// An unfixed kernel: every canary goes to both ports, and the down
	// port's reach ovs_vport_send, where the guard counts them as port down.
	void unfixed_kernel(unsigned n = 32)
	{
		EXPECT_CALL(stats, stats())
			.WillOnce(Return(Result<Stats>(counters({100, 200, 5, 7}))))
			.WillOnce(Return(Result<Stats>(counters({100 + n, 200 + 2 * n, 5 + n, 7}))));
		EXPECT_CALL(sandbox.links, stats(std::string(kVerifyVethPeer)))
			.WillOnce(Return(Result<LinkStats>(rx(3))))
			.WillRepeatedly(Return(Result<LinkStats>(rx(3 + n))));
	}
};

TEST(JudgeCanaries, UnfixedKernelWithLiveGuards)
{
	VerifyVerdict v = judge_canaries({32, 32, 32, 64, 32, 0, 0});
	EXPECT_TRUE(v.guards_live());
	ASSERT_EQ(v.checks.size(), 2u);
	EXPECT_EQ(v.checks[0].name, "txhash");
	EXPECT_EQ(v.checks[0].detail, "txhash_checked +32 for 32 frames delivered through the 2-queue veth");
	EXPECT_EQ(v.fix, KernelFix::NotFixed);
	EXPECT_EQ(v.fix_detail, "Open vSwitch handed outputs for the admin-down port to "
				"ovs_vport_send (ovs_output_port_down +32 for 32 canaries): do_output() "
				"lacks upstream 47e55e4b410f");
}

// Lethal hazards are someone else's traffic: they say nothing about
// do_output(), and a fixed kernel may see them too.
TEST(JudgeCanaries, LethalHazardsDoNotDecideTheFix)
{
	VerifyVerdict v = judge_canaries({32, 32, 32, 32, 0, 5, 9});
	EXPECT_TRUE(v.guards_live());
	EXPECT_EQ(v.fix, KernelFix::Fixed);
	EXPECT_NE(v.fix_detail.find("(ovs_output_port_down +0)"), std::string::npos) << v.fix_detail;
}

// The counter is global: any down-port output anyone's OVS made proves it.
TEST(JudgeCanaries, FewerPortDownOutputsThanCanariesStillMeanNotFixed)
{
	EXPECT_EQ(judge_canaries({32, 32, 32, 40, 1, 0, 0}).fix, KernelFix::NotFixed);
}

TEST(JudgeCanaries, FixedKernelNeverReachesOvsVportSendForTheDownPort)
{
	VerifyVerdict v = judge_canaries({32, 32, 32, 32, 0, 0, 0});
	EXPECT_TRUE(v.guards_live());
	EXPECT_EQ(v.fix, KernelFix::Fixed);
	EXPECT_EQ(kernel_fix_name(v.fix), "fixed");
}

TEST(JudgeCanaries, TxhashProbeBypassedIsNotLive)
{
	// The pick was inlined away from the probed symbol: nothing counted.
	VerifyVerdict v = judge_canaries({32, 32, 0, 64, 32, 0, 0});
	EXPECT_FALSE(v.guards_live());
	EXPECT_FALSE(v.checks[0].passed);
	EXPECT_NE(v.checks[0].detail.find("not on this kernel's transmit path"), std::string::npos);
	EXPECT_TRUE(v.checks[1].passed);
	EXPECT_EQ(v.fix, KernelFix::NotFixed);
}

TEST(JudgeCanaries, DeadOvsProbeLeavesTheFixUnknown)
{
	VerifyVerdict v = judge_canaries({32, 32, 32, 0, 0, 0, 0});
	EXPECT_FALSE(v.guards_live());
	EXPECT_FALSE(v.checks[1].passed);
	EXPECT_EQ(v.fix, KernelFix::Unknown);
}

TEST(JudgeCanaries, PartialCountIsNotLive)
{
	VerifyVerdict v = judge_canaries({32, 32, 31, 64, 0, 0, 0});
	EXPECT_FALSE(v.checks[0].passed);
}

TEST(JudgeCanaries, NothingDeliveredProvesNothing)
{
	VerifyVerdict v = judge_canaries({32, 0, 500, 500, 0, 0, 0});
	EXPECT_FALSE(v.guards_live());
	EXPECT_NE(v.checks[0].detail.find("none of the 32 canaries"), std::string::npos);
	EXPECT_EQ(v.fix, KernelFix::Unknown);
}

TEST_F(VerifyBed, BuildsMeasuresAndTearsDown)
{
	unfixed_kernel();
	EXPECT_CALL(sandbox.links, set_up(_, _)).Times(::testing::AnyNumber());
	EXPECT_CALL(sandbox.links, create_veth(std::string(kVerifyVeth), std::string(kVerifyVethPeer), 2u));
	EXPECT_CALL(sandbox.links, create_dummy(std::string(kVerifyDown)));
	// The dummy must stay admin-down: that is the case under test.
	EXPECT_CALL(sandbox.links, set_up(std::string(kVerifyDown), _)).Times(0);
	EXPECT_CALL(sandbox.links, set_up(std::string(kVerifyVeth), true));
	EXPECT_CALL(sandbox.ovs, add_port(std::string(kVerifyTap), 1u));
	EXPECT_CALL(sandbox.ovs, add_port(std::string(kVerifyVeth), 2u));
	EXPECT_CALL(sandbox.ovs, add_port(std::string(kVerifyDown), 3u));
	EXPECT_CALL(sandbox.ovs, add_flow(1u, ElementsAre(2u, 3u)));
	{
		InSequence teardown;
		EXPECT_CALL(sandbox.ovs, destroy());
		EXPECT_CALL(sandbox.links, remove(std::string(kVerifyDown)));
		EXPECT_CALL(sandbox.links, remove(std::string(kVerifyVeth)));
	}
	auto c = canaries();
	ASSERT_TRUE(c) << c.error().message;
	EXPECT_EQ(c->sent, 32u);
	EXPECT_EQ(c->healthy_delivered, 32u);
	EXPECT_EQ(c->txhash_checked, 32u);
	EXPECT_EQ(c->ovs_output_checked, 64u);
	EXPECT_EQ(c->down_port_outputs, 32u);
	EXPECT_EQ(c->lethal_hazards(), 0u);
	EXPECT_TRUE(cleanup_errors.empty());
	EXPECT_EQ(sandbox.taps_alive, 0);
}

TEST_F(VerifyBed, EveryCanaryIsWrittenIntoTheTap)
{
	unfixed_kernel(5);
	int written = 0;
	ON_CALL(sandbox.links, create_tap(_)).WillByDefault([&](const std::string &) {
		auto tap = std::make_unique<::testing::NiceMock<MockTap>>();
		EXPECT_CALL(*tap, write_frame(_)).Times(5).WillRepeatedly([&](auto frame) {
			written++;
			EXPECT_EQ(frame.size(), 60u);
			return Result<void>();
		});
		EXPECT_CALL(*tap, destroyed());
		return Result<std::unique_ptr<Tap>>(std::unique_ptr<Tap>(std::move(tap)));
	});
	ASSERT_TRUE(canaries(5));
	EXPECT_EQ(written, 5);
}

TEST_F(VerifyBed, FailedFlowCleansUpWhatWasBuilt)
{
	EXPECT_CALL(sandbox.ovs, add_flow(_, _))
		.WillOnce(Return(Result<void>(Error{ErrorCode::Invalid, "cannot add a flow: Invalid argument"})));
	EXPECT_CALL(sandbox.ovs, destroy());
	EXPECT_CALL(sandbox.links, remove(std::string(kVerifyDown)));
	EXPECT_CALL(sandbox.links, remove(std::string(kVerifyVeth)));
	EXPECT_CALL(stats, stats()).Times(0);
	auto c = canaries();
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().message, "cannot add a flow: Invalid argument");
	ASSERT_NE(sandbox.last_tap, nullptr);
	EXPECT_EQ(sandbox.taps_alive, 0);
}

TEST_F(VerifyBed, FailedDatapathCreatesNoLinks)
{
	EXPECT_CALL(sandbox.ovs, create(_))
		.WillOnce(Return(Result<void>(Error{ErrorCode::NotLoaded, "openvswitch not loaded"})));
	EXPECT_CALL(sandbox.links, create_veth(_, _, _)).Times(0);
	EXPECT_CALL(sandbox.links, create_tap(_)).Times(0);
	EXPECT_CALL(sandbox.links, remove(_)).Times(0);
	auto c = canaries();
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().code, ErrorCode::NotLoaded);
}

TEST_F(VerifyBed, CleanupFailuresAreReported)
{
	unfixed_kernel();
	EXPECT_CALL(sandbox.ovs, destroy())
		.WillOnce(Return(Result<void>(Error{ErrorCode::Busy, "cannot delete datapath txqg-verify: busy"})));
	EXPECT_CALL(sandbox.links, remove(_)).Times(2);	// still tried
	ASSERT_TRUE(canaries());
	ASSERT_EQ(cleanup_errors.size(), 1u);
	EXPECT_EQ(cleanup_errors[0], "cannot delete datapath txqg-verify: busy");
}

TEST_F(VerifyBed, InterruptBeforeTheCanariesStillCleansUp)
{
	stop = true;
	EXPECT_CALL(stats, stats()).Times(0);
	EXPECT_CALL(sandbox.ovs, destroy());
	EXPECT_CALL(sandbox.links, remove(_)).Times(2);
	auto c = canaries();
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().code, ErrorCode::Interrupted);
	EXPECT_EQ(sandbox.taps_alive, 0);
	ASSERT_NE(sandbox.last_tap, nullptr);
}

TEST_F(VerifyBed, LethalHazardsDuringTheRunAreCounted)
{
	EXPECT_CALL(stats, stats())
		.WillOnce(Return(Result<Stats>(counters({0, 0, 0, 10, 10, 3, 3}))))
		.WillOnce(Return(Result<Stats>(counters({8, 8, 0, 12, 12, 7, 7}))));
	EXPECT_CALL(sandbox.links, stats(std::string(kVerifyVethPeer)))
		.WillOnce(Return(Result<LinkStats>(rx(0))))
		.WillRepeatedly(Return(Result<LinkStats>(rx(8))));
	auto c = canaries(8);
	ASSERT_TRUE(c);
	EXPECT_EQ(c->down_port_outputs, 0u);
	EXPECT_EQ(c->ovs_output_hazards, 2u);
	EXPECT_EQ(c->txhash_hazards, 4u);
	EXPECT_EQ(c->lethal_hazards(), 6u);
}

TEST_F(VerifyBed, SlowDeliveryIsWaitedFor)
{
	EXPECT_CALL(stats, stats())
		.WillOnce(Return(Result<Stats>(counters({0, 0, 0}))))
		.WillOnce(Return(Result<Stats>(counters({4, 4, 0}))));
	EXPECT_CALL(sandbox.links, stats(std::string(kVerifyVethPeer)))
		.WillOnce(Return(Result<LinkStats>(rx(0))))
		.WillOnce(Return(Result<LinkStats>(rx(1))))
		.WillOnce(Return(Result<LinkStats>(rx(2))))
		.WillRepeatedly(Return(Result<LinkStats>(rx(4))));
	auto c = canaries(4);
	ASSERT_TRUE(c);
	EXPECT_EQ(c->healthy_delivered, 4u);
	EXPECT_EQ(sleeps, 2);
	EXPECT_EQ(judge_canaries(*c).fix, KernelFix::Fixed);
}

struct ReproduceBed : VerifyBed {
	::testing::NiceMock<MockSelftestHooks> hooks;
	ReproduceOptions opts{std::chrono::milliseconds(50), std::chrono::milliseconds(0)};

	ReproduceBed()
	{
		ON_CALL(hooks, watch_kernel_log()).WillByDefault(Return(Result<void>()));
		ON_CALL(hooks, wait_hold_taken(_)).WillByDefault(Return(Result<void>()));
		ON_CALL(hooks, hold_ovs_lock(_)).WillByDefault([](std::chrono::milliseconds ms) {
			std::this_thread::sleep_for(ms);
			return Result<void>();
		});
	}

	Result<ReproduceCounts> reproduce()
	{
		std::optional<Result<ReproduceCounts>> out;
		EXPECT_TRUE(sandbox.run([&](Lab &lab) {
			out.emplace(run_reproduce(lab, ctx, hooks, opts, cleanup_errors));
		}));
		return std::move(*out);
	}
};

TEST_F(ReproduceBed, CountsHazardsAndHealthyFramesInTheWindow)
{
	std::atomic<std::uint64_t> delivered{100};
	ON_CALL(sandbox.links, stats(std::string(kReproOkPeer))).WillByDefault([&](const std::string &) {
		return Result<LinkStats>(rx(delivered += 10));
	});
	EXPECT_CALL(stats, stats())
		.WillOnce(Return(Result<Stats>(counters({0, 1000, 100, 40, 40}))))
		.WillOnce(Return(Result<Stats>(counters({0, 9000, 160, 740, 740}))));
	EXPECT_CALL(hooks, hold_ovs_lock(std::chrono::milliseconds(50)));
	EXPECT_CALL(*sandbox.second_links, remove(std::string(kReproDie)));
	// The dying veth is the test's to delete, not the cleanup's.
	EXPECT_CALL(sandbox.links, remove(_)).Times(::testing::AnyNumber());
	EXPECT_CALL(sandbox.links, remove(std::string(kReproDie))).Times(0);
	EXPECT_CALL(sandbox.links, remove(std::string(kReproOk)));
	EXPECT_CALL(sandbox.ovs, add_flow(1u, ElementsAre(2u, 3u)));
	auto c = reproduce();
	ASSERT_TRUE(c) << c.error().message;
	EXPECT_EQ(c->ovs_output_hazards, 700u);
	EXPECT_EQ(c->hazards(), 700u);
	EXPECT_EQ(c->neutralized, 700u);
	EXPECT_EQ(c->port_down, 60u);	// while down but registered: not lethal
	EXPECT_GT(c->healthy_before, 0u);
	EXPECT_GT(c->healthy_window, 0u);
	EXPECT_GT(c->injected, 0u);
}

TEST_F(ReproduceBed, HoldNeverTakenDeletesNothing)
{
	ON_CALL(sandbox.links, stats(_)).WillByDefault(Return(Result<LinkStats>(rx(50))));
	ON_CALL(stats, stats()).WillByDefault(Return(Result<Stats>(counters({}))));
	EXPECT_CALL(hooks, wait_hold_taken(_))
		.WillOnce(Return(Result<void>(Error{ErrorCode::Timeout, "txqguard never reported holding ovs_lock"})));
	EXPECT_CALL(*sandbox.second_links, remove(_)).Times(0);
	EXPECT_CALL(sandbox.ovs, destroy());
	EXPECT_CALL(sandbox.links, remove(std::string(kReproDie)));
	EXPECT_CALL(sandbox.links, remove(std::string(kReproOk)));
	auto c = reproduce();
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().message, "txqguard never reported holding ovs_lock");
	EXPECT_EQ(sandbox.taps_alive, 0);
}

TEST_F(ReproduceBed, NoHealthyTrafficBeforeTheWindowIsAFailure)
{
	ON_CALL(sandbox.links, stats(_)).WillByDefault(Return(Result<LinkStats>(rx(0))));
	EXPECT_CALL(hooks, hold_ovs_lock(_)).Times(0);
	auto c = reproduce();
	ASSERT_FALSE(c);
	EXPECT_NE(c.error().message.find("received nothing before the window"), std::string::npos);
}

}  // namespace
}  // namespace txqg::testing
