#include <gtest/gtest.h>

#include <cstdint>

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

TEST(Ipv4Checksum, KnownVector)
{
	// RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2.
	const std::uint8_t words[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	EXPECT_EQ(ipv4_checksum(words, sizeof(words)), static_cast<std::uint16_t>(~0xddf2));
}

}  // namespace
}  // namespace txqg::testing
