#include <gtest/gtest.h>

#include "fake_host.h"
#include "probes.h"

namespace txqg {
namespace {

TEST(ParseProbes, ArmedCoreAndModuleProbes)
{
	auto ps = parse_probes(testing::kProbesArmed);
	ASSERT_TRUE(ps.ok()) << ps.error().message;
	ASSERT_EQ(ps->size(), 2u);
	const Probe &t = (*ps)[0];
	EXPECT_EQ(t.guard, "txhash");
	EXPECT_EQ(t.symbol, "netdev_pick_tx");
	EXPECT_EQ(t.state, TXQGUARD_PROBE_ARMED);
	EXPECT_EQ(t.location, "netdev_pick_tx+0x0/0x280");
	EXPECT_EQ(t.module, "");
	EXPECT_EQ(t.address, "00000000d3ffde9f");
	EXPECT_EQ(t.kind, "ftrace");
	EXPECT_FALSE(t.err.has_value());
	const Probe &o = (*ps)[1];
	EXPECT_EQ(o.module, "openvswitch");
	EXPECT_EQ(o.location, "ovs_vport_send+0x0/0x120");
	EXPECT_EQ(o.address, "000000005ad66506");
	EXPECT_EQ(find_probe(*ps, "ovs_output"), &o);
	EXPECT_EQ(find_probe(*ps, "nope"), nullptr);
}

TEST(ParseProbes, WaitingFailedDisabledAndErr)
{
	auto ps = parse_probes("txhash netdev_core_pick_tx armed netdev_core_pick_tx+0x0/0x1a0 "
			       "0000000000000000 breakpoint\n"
			       "ovs_output ovs_vport_send failed err=-2\n");
	ASSERT_TRUE(ps.ok()) << ps.error().message;
	EXPECT_EQ((*ps)[0].kind, "breakpoint");
	EXPECT_EQ((*ps)[1].state, TXQGUARD_PROBE_FAILED);
	EXPECT_EQ((*ps)[1].err, -2);

	auto k = parse_probes("ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 "
			      "[openvswitch] 0000000000000000 kprobe-ftrace\n"
			      "txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 0 ftrace-ops\n");
	ASSERT_TRUE(k.ok()) << k.error().message;
	EXPECT_EQ((*k)[0].kind, "kprobe-ftrace");
	EXPECT_EQ((*k)[1].kind, "ftrace-ops");

	auto w = parse_probes("ovs_output ovs_vport_send waiting err=-22\nx - disabled\n");
	ASSERT_TRUE(w.ok()) << w.error().message;
	EXPECT_EQ((*w)[0].state, TXQGUARD_PROBE_WAITING);
	EXPECT_EQ((*w)[0].err, -22);
	EXPECT_EQ((*w)[1].state, TXQGUARD_PROBE_DISABLED);
	EXPECT_EQ((*w)[1].symbol, "-");
}

class ParseProbesMalformed : public ::testing::TestWithParam<const char *> {};

TEST_P(ParseProbesMalformed, IsAParseError)
{
	auto ps = parse_probes(GetParam());
	ASSERT_FALSE(ps.ok());
	EXPECT_EQ(ps.error().code, ErrorCode::Parse);
	EXPECT_NE(ps.error().message.find("malformed probes line"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
	Cases, ParseProbesMalformed,
	::testing::Values("txhash netdev_pick_tx\n",
			  "txhash netdev_pick_tx sleeping\n",
			  "txhash netdev_pick_tx armed\n",
			  "txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 0 Kret_probe\n",
			  "ovs_output ovs_vport_send armed x+0/1 openvswitch 0 ftrace\n",
			  "ovs_output ovs_vport_send waiting extra\n",
			  "ovs_output ovs_vport_send failed err=oops\n",
			  "txhash a waiting\ntxhash b waiting\n"));

}  // namespace
}  // namespace txqg
