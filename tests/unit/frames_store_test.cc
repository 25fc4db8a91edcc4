#include <gtest/gtest.h>

#include <filesystem>

#include "file_verify_store.h"
#include "frames.h"
#include "temp_dir.h"
#include "verify_store.h"

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

// Which boot and kernel a record still counts for is the reader's call
// (verify_record.h); the store keeps the last one across reboots.
TEST(FileVerifyStore, KeepsTheLastRecordWhateverTheBoot)
{
	TempDir dir;
	FileVerifyStore store(dir.file("nested/dir/verify.json"));
	EXPECT_FALSE(store.load());
	ASSERT_TRUE(store.save(Json{{"kernel_fix", "not fixed"}, {"boot_id", "aaaa"}}));
	auto j = store.load();
	ASSERT_TRUE(j);
	EXPECT_EQ((*j)["kernel_fix"], "not fixed");
	EXPECT_EQ((*j)["boot_id"], "aaaa");
	EXPECT_EQ(std::filesystem::status(dir.file("nested/dir/verify.json")).permissions(),
		  std::filesystem::perms(0644));	// status runs without root
}

TEST(FileVerifyStore, CorruptFileIsIgnored)
{
	TempDir dir;
	dir.write("verify.json", "{not json");
	FileVerifyStore store(dir.file("verify.json"));
	EXPECT_FALSE(store.load());
}

TEST(FileVerifyStore, PersistsUnderVarLib)
{
	// /run would forget the kernel-fix verdict at every reboot.
	EXPECT_EQ(std::string(kVerifyStorePath), "/var/lib/txqguard/verify.json");
}

}  // namespace
}  // namespace txqg::testing
