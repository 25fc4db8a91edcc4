#include <gtest/gtest.h>

#include <filesystem>

#include "file_verify_store.h"
#include "temp_dir.h"
#include "verify_store.h"

namespace txqg::testing {
namespace {

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
