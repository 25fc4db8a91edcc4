#include <gtest/gtest.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <optional>

#include "fallback_stats_source.h"
#include "genl_decode.h"
#include "genl_socket.h"
#include "netlink_mocks.h"

namespace txqg::testing {
namespace {

using ::testing::Return;

constexpr int kFamily = 0x1f;

NlMsgPtr reply(std::uint8_t cmd)
{
	NlMsgPtr msg(nlmsg_alloc());
	genlmsg_put(msg.get(), 0, 0, kFamily, 0, 0, cmd, TXQGUARD_GENL_VERSION);
	return msg;
}

NlMsgPtr stats_reply(std::uint32_t mode, int counters = __TXQGUARD_CTR_MAX,
		    std::optional<std::uint32_t> hold_ms = 4000)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_GET_STATS);
	nl_msg *m = msg.get();
	nla_put_string(m, TXQGUARD_A_VERSION, "0.1.0");
	nla_put_u32(m, TXQGUARD_A_MODE, mode);
	nla_put_string(m, TXQGUARD_A_BACKEND, "ftrace");
	nla_put_u64(m, TXQGUARD_A_EVENTS_TOTAL, 9);
	nlattr *nest = nla_nest_start(m, TXQGUARD_A_COUNTERS);
	for (int i = 0; i < counters; i++)
		nla_put_u64(m, i + 1, 1000 + i);
	nla_nest_end(m, nest);
	if (hold_ms)
		nla_put_u32(m, TXQGUARD_A_HOLD_MS, *hold_ms);
	return msg;
}

TEST(GenlDecode, StatsInContractOrderWithEventsTotal)
{
	auto msg = stats_reply(TXQGUARD_MODE_DETECT);
	auto s = decode_genl_stats(nlmsg_hdr(msg.get()));
	ASSERT_TRUE(s) << s.error().message;
	EXPECT_EQ(s->version, "0.1.0");
	EXPECT_EQ(s->mode, "detect");
	EXPECT_EQ(s->backend, "ftrace");
	ASSERT_EQ(s->counters.size(), 9u);
	EXPECT_EQ(s->counters[0], (std::pair<std::string, std::uint64_t>{"txhash_checked", 1000}));
	EXPECT_EQ(s->counter("ovs_output_dropped"), 1005u);
	EXPECT_EQ(s->counter("ovs_output_port_down"), 1006u);
	EXPECT_EQ(s->counter("ovs_output_port_down_dropped"), 1007u);
	EXPECT_EQ(s->counters.back(), (std::pair<std::string, std::uint64_t>{"events_total", 9}));
	EXPECT_EQ(s->hold_ms, 4000u);
}

TEST(GenlDecode, StatsWithoutHoldLeaveItUnknown)
{
	auto msg = stats_reply(TXQGUARD_MODE_ENFORCE, __TXQGUARD_CTR_MAX, std::nullopt);
	auto s = decode_genl_stats(nlmsg_hdr(msg.get()));
	ASSERT_TRUE(s) << s.error().message;
	EXPECT_FALSE(s->hold_ms.has_value());
	EXPECT_FALSE(s->counter("hold_ms").has_value());
}

TEST(GenlDecode, NewerModulesExtraCounterKeepsAValidName)
{
	auto msg = stats_reply(TXQGUARD_MODE_ENFORCE, __TXQGUARD_CTR_MAX + 1);
	auto s = decode_genl_stats(nlmsg_hdr(msg.get()));
	ASSERT_TRUE(s);
	EXPECT_EQ(s->counter("counter_8"), 1008u);
}

TEST(GenlDecode, MissingCounterOrUnknownModeIsAnError)
{
	auto short_msg = stats_reply(TXQGUARD_MODE_ENFORCE, __TXQGUARD_CTR_MAX - 1);
	auto s = decode_genl_stats(nlmsg_hdr(short_msg.get()));
	ASSERT_FALSE(s);
	EXPECT_NE(s.error().message.find("ovs_output_port_down_dropped"), std::string::npos);

	auto bad_mode = stats_reply(7);
	auto m = decode_genl_stats(nlmsg_hdr(bad_mode.get()));
	ASSERT_FALSE(m);
	EXPECT_EQ(m.error().code, ErrorCode::Parse);
}

TEST(GenlDecode, Probes)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_GET_PROBES);
	nl_msg *m = msg.get();
	nlattr *p = nla_nest_start(m, TXQGUARD_A_PROBE);
	nla_put_u32(m, TXQGUARD_PROBE_A_GUARD, TXQGUARD_GUARD_TXHASH);
	nla_put_string(m, TXQGUARD_PROBE_A_SYMBOL, "netdev_pick_tx");
	nla_put_u32(m, TXQGUARD_PROBE_A_STATE, TXQGUARD_PROBE_ARMED);
	nla_put_string(m, TXQGUARD_PROBE_A_KIND, "kprobe-ftrace");
	nla_put_flag(m, TXQGUARD_PROBE_A_FTRACE);
	nla_nest_end(m, p);
	p = nla_nest_start(m, TXQGUARD_A_PROBE);
	nla_put_u32(m, TXQGUARD_PROBE_A_GUARD, TXQGUARD_GUARD_OVS_OUTPUT);
	nla_put_string(m, TXQGUARD_PROBE_A_SYMBOL, "");
	nla_put_u32(m, TXQGUARD_PROBE_A_STATE, TXQGUARD_PROBE_FAILED);
	nla_put_u32(m, TXQGUARD_PROBE_A_ERROR, static_cast<std::uint32_t>(-2));
	nla_nest_end(m, p);

	auto probes = decode_genl_probes(nlmsg_hdr(m));
	ASSERT_TRUE(probes) << probes.error().message;
	ASSERT_EQ(probes->size(), 2u);
	EXPECT_EQ((*probes)[0].guard, "txhash");
	EXPECT_EQ((*probes)[0].symbol, "netdev_pick_tx");
	EXPECT_EQ((*probes)[0].state, TXQGUARD_PROBE_ARMED);
	EXPECT_EQ((*probes)[0].kind, "kprobe-ftrace");
	EXPECT_EQ((*probes)[1].guard, "ovs_output");
	EXPECT_EQ((*probes)[1].state, TXQGUARD_PROBE_FAILED);
	EXPECT_EQ((*probes)[1].err, -2);
	EXPECT_EQ((*probes)[1].kind, "");
}

TEST(GenlDecode, DuplicateOrUnknownGuardIsAnError)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_GET_PROBES);
	for (int i = 0; i < 2; i++) {
		nlattr *p = nla_nest_start(msg.get(), TXQGUARD_A_PROBE);
		nla_put_u32(msg.get(), TXQGUARD_PROBE_A_GUARD, TXQGUARD_GUARD_TXHASH);
		nla_put_u32(msg.get(), TXQGUARD_PROBE_A_STATE, TXQGUARD_PROBE_WAITING);
		nla_nest_end(msg.get(), p);
	}
	EXPECT_FALSE(decode_genl_probes(nlmsg_hdr(msg.get())));

	NlMsgPtr other = reply(TXQGUARD_CMD_GET_PROBES);
	nlattr *p = nla_nest_start(other.get(), TXQGUARD_A_PROBE);
	nla_put_u32(other.get(), TXQGUARD_PROBE_A_GUARD, 9);
	nla_put_u32(other.get(), TXQGUARD_PROBE_A_STATE, TXQGUARD_PROBE_ARMED);
	nla_nest_end(other.get(), p);
	EXPECT_FALSE(decode_genl_probes(nlmsg_hdr(other.get())));
}

void put_event(nl_msg *m, std::uint64_t ns, const char *ifname, std::uint32_t ifindex)
{
	nlattr *e = nla_nest_start(m, TXQGUARD_A_EVENT);
	nla_put_u64(m, TXQGUARD_EVENT_A_TIME_NS, ns);
	nla_put_u32(m, TXQGUARD_EVENT_A_CPU, 1);
	nla_put_u32(m, TXQGUARD_EVENT_A_GUARD, TXQGUARD_GUARD_OVS_OUTPUT);
	nla_put_u32(m, TXQGUARD_EVENT_A_ACTION, TXQGUARD_ACTION_DROPPED);
	nla_put_string(m, TXQGUARD_EVENT_A_IFNAME, ifname);
	nla_put_u32(m, TXQGUARD_EVENT_A_IFINDEX, ifindex);
	nla_put_u32(m, TXQGUARD_EVENT_A_NETNS_INO, 4026531992u);
	nla_put_u8(m, TXQGUARD_EVENT_A_REG_STATE, 3);
	nla_put_u8(m, TXQGUARD_EVENT_A_RUNNING, 0);
	nla_put_u8(m, TXQGUARD_EVENT_A_CARRIER, 1);
	nla_put_u32(m, TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES, 0);
	nla_nest_end(m, e);
}

TEST(GenlDecode, EventsOldestFirstWithTotal)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_GET_EVENTS);
	nla_put_u64(msg.get(), TXQGUARD_A_EVENTS_TOTAL, 70);
	put_event(msg.get(), 1795412345123456789ull, "vdie", 6);
	put_event(msg.get(), 1795412346000000001ull, "we\x01ird", 8);
	auto b = decode_genl_events(nlmsg_hdr(msg.get()));
	ASSERT_TRUE(b) << b.error().message;
	EXPECT_EQ(b->total, 70u);
	ASSERT_EQ(b->events.size(), 2u);
	const Event &e = b->events[0];
	EXPECT_EQ(e.time_sec, 1795412345u);
	EXPECT_EQ(e.time_nsec, 123456789u);
	EXPECT_EQ(e.guard, TXQGUARD_GUARD_OVS_OUTPUT);
	EXPECT_EQ(e.action, TXQGUARD_ACTION_DROPPED);
	EXPECT_EQ(e.ifname, "vdie");
	EXPECT_EQ(e.ifindex, 6);
	EXPECT_EQ(e.netns, 4026531992u);
	EXPECT_EQ(e.reg_state, 3u);
	EXPECT_FALSE(e.running);
	EXPECT_TRUE(e.carrier);
	EXPECT_EQ(b->events[1].ifname, "we\x01ird");
	EXPECT_EQ(event_time_string(b->events[1]), "1795412346.000000001");
}

TEST(GenlDecode, EventsWithoutTotalAreAnError)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_GET_EVENTS);
	put_event(msg.get(), 1, "x", 1);
	EXPECT_FALSE(decode_genl_events(nlmsg_hdr(msg.get())));
}

TEST(GenlDecode, NotificationTotal)
{
	NlMsgPtr msg = reply(TXQGUARD_CMD_NEW_EVENTS);
	nla_put_u64(msg.get(), TXQGUARD_A_EVENTS_TOTAL, 123);
	auto t = decode_genl_events_total(nlmsg_hdr(msg.get()));
	ASSERT_TRUE(t);
	EXPECT_EQ(*t, 123u);
	EXPECT_FALSE(decode_genl_events_total(nlmsg_hdr(reply(TXQGUARD_CMD_NEW_EVENTS).get())));
}

TEST(FallbackStatsSource, FamilyAbsentFallsBackToDebugfs)
{
	::testing::NiceMock<MockStatsSource> genl, debugfs;
	ON_CALL(genl, name()).WillByDefault(Return("genl"));
	ON_CALL(debugfs, name()).WillByDefault(Return("debugfs"));
	Stats s;
	s.mode = "detect";
	EXPECT_CALL(genl, stats())
		.WillOnce(Return(Result<Stats>(Error{ErrorCode::NotLoaded, "family absent"})));
	EXPECT_CALL(debugfs, stats()).WillOnce(Return(Result<Stats>(s)));
	FallbackStatsSource source(genl, debugfs);
	auto r = source.stats();
	ASSERT_TRUE(r);
	EXPECT_EQ(r->mode, "detect");
	EXPECT_EQ(source.name(), "debugfs");
}

TEST(FallbackStatsSource, OtherGenlErrorsAreTheAnswer)
{
	::testing::NiceMock<MockStatsSource> genl, debugfs;
	ON_CALL(genl, name()).WillByDefault(Return("genl"));
	EXPECT_CALL(genl, probes())
		.WillOnce(Return(Result<std::vector<Probe>>(
			Error{ErrorCode::PermissionDenied, "Operation not permitted (run as root)"})));
	EXPECT_CALL(debugfs, probes()).Times(0);
	FallbackStatsSource source(genl, debugfs);
	auto r = source.probes();
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code, ErrorCode::PermissionDenied);
	EXPECT_EQ(source.name(), "genl");
}

}  // namespace
}  // namespace txqg::testing
