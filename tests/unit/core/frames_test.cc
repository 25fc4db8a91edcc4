#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "frame.h"
#include "frames.h"

namespace txqg::testing {
namespace {

TEST(TestFrame, IsAValidIpv4UdpFrame)
{
	auto f = test_frame(40001);
	ASSERT_EQ(f.size(), 60u);	// the Ethernet minimum without FCS
	EXPECT_EQ(f[12], 0x08);
	EXPECT_EQ(f[13], 0x00);
	EXPECT_EQ(f[14], 0x45);
	EXPECT_EQ(f[23], 17);
	// A header that carries its checksum sums to zero.
	EXPECT_EQ(ipv4_checksum(&f[14], 20), 0);
	EXPECT_EQ(f[34] << 8 | f[35], 40001);
	EXPECT_NE(test_frame(1)[34 + 1], test_frame(2)[34 + 1]);
}

// The frame as the tools and verify have always sent it, for source port 40001.
const std::vector<std::uint8_t> kFrame40001 = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	// MACs
	0x08, 0x00,								// IPv4
	0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x66, 0xbd,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,				// 10.0.0.1 > .2
	0x9c, 0x41, 0x00, 0x09, 0x00, 0x1a, 0x00, 0x00,				// UDP 40001 > 9
	0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
	0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
};

TEST(TestFrame, BytesAreTheKnownFrame)
{
	EXPECT_EQ(test_frame(40001), kFrame40001);
}

TEST(FrameBuilder, CBuilderWritesTheKnownFrameAndNoMore)
{
	unsigned char buf[TEST_FRAME_LEN + 8];
	std::memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(build_frame(buf, 40001), kFrame40001.size());
	EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + TEST_FRAME_LEN), kFrame40001);
	for (std::size_t i = TEST_FRAME_LEN; i < sizeof(buf); i++)
		EXPECT_EQ(buf[i], 0xee) << i;
}

TEST(FrameBuilder, PatchedSourcePortIsABuiltFrame)
{
	// pktflood builds once and patches the port per frame.
	unsigned char patched[TEST_FRAME_LEN], built[TEST_FRAME_LEN];
	build_frame(patched, 0);
	frame_set_sport(patched, 40001);
	build_frame(built, 40001);
	EXPECT_EQ(std::memcmp(patched, built, TEST_FRAME_LEN), 0);
}

TEST(Ipv4Checksum, KnownVector)
{
	// RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2.
	const std::uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	EXPECT_EQ(ipv4_checksum(words, sizeof(words)), static_cast<std::uint16_t>(~0xddf2));
}

}  // namespace
}  // namespace txqg::testing
