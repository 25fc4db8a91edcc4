// A scratch directory removed with everything in it.
#pragma once

#include <filesystem>
#include <string>

namespace txqg::testing {

class TempDir {
public:
	TempDir();
	~TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::filesystem::path &path() const { return path_; }
	std::string file(const std::string &name) const { return (path_ / name).string(); }
	void write(const std::string &relative, const std::string &content) const;

private:
	std::filesystem::path path_;
};

std::string slurp(const std::string &path);

}  // namespace txqg::testing
