#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "temp_dir.h"
#include "textfile.h"

namespace txqg::testing {
namespace {

TEST(WriteFileAtomic, CreatesAndReplacesWithANewInode)
{
	TempDir dir;
	const std::string path = dir.file("m.prom");
	ASSERT_TRUE(write_file_atomic(path, "one\n").ok());
	EXPECT_EQ(slurp(path), "one\n");
	struct stat before, after;
	ASSERT_EQ(::stat(path.c_str(), &before), 0);
	ASSERT_TRUE(write_file_atomic(path, "two\n").ok());
	ASSERT_EQ(::stat(path.c_str(), &after), 0);
	EXPECT_EQ(slurp(path), "two\n");
	EXPECT_NE(before.st_ino, after.st_ino);
	EXPECT_EQ(after.st_mode & 07777, 0644u);
	EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
				std::filesystem::directory_iterator()),
		  1);
}

TEST(WriteFileAtomic, RelativePathUsesTheCurrentDirectory)
{
	TempDir dir;
	auto cwd = std::filesystem::current_path();
	std::filesystem::current_path(dir.path());
	auto r = write_file_atomic("rel.prom", "x\n");
	std::filesystem::current_path(cwd);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(slurp(dir.file("rel.prom")), "x\n");
}

TEST(WriteFileAtomic, FailedRenameLeavesNoTemporaryBehind)
{
	TempDir dir;
	std::filesystem::create_directory(dir.path() / "taken");
	std::filesystem::create_directory(dir.path() / "taken" / "child");
	auto r = write_file_atomic(dir.file("taken"), "x\n");
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("cannot rename"), std::string::npos);
	EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
				std::filesystem::directory_iterator()),
		  1);
}

TEST(WriteFileAtomic, DirectoryPathIsRejected)
{
	EXPECT_FALSE(write_file_atomic("/tmp/", "x").ok());
}

}  // namespace
}  // namespace txqg::testing
