// What the fuzz targets share: the input as text or as NUL-separated parts,
// a check that aborts (so libFuzzer keeps the input), and a private
// directory for the code that reads real files.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace txqg::fuzz {

inline std::string_view as_text(const std::uint8_t *data, std::size_t size)
{
	return {reinterpret_cast<const char *>(data), size};
}

// "a\0\0b" is {"a", "", "b"}: empty parts are real (an empty argv word).
inline std::vector<std::string> split_nul(const std::uint8_t *data, std::size_t size)
{
	std::vector<std::string> parts;
	if (size == 0)
		return parts;
	std::string_view rest = as_text(data, size);
	for (;;) {
		std::size_t nul = rest.find('\0');
		parts.emplace_back(rest.substr(0, nul));
		if (nul == std::string_view::npos)
			return parts;
		rest.remove_prefix(nul + 1);
	}
}

inline std::string part(const std::vector<std::string> &parts, std::size_t i)
{
	return i < parts.size() ? parts[i] : std::string();
}

#define TXQG_FUZZ_CHECK(cond)                                                          \
	do {                                                                            \
		if (!(cond)) {                                                          \
			std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				     #cond);                                            \
			std::abort();                                                   \
		}                                                                       \
	} while (0)

// Made under $TMPDIR once per process and removed at a clean exit; a crash
// leaves it behind for the post-mortem.
class ScratchDir {
public:
	ScratchDir()
	{
		const char *tmp = std::getenv("TMPDIR");
		std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/txqg-fuzz.XXXXXX";
		if (!::mkdtemp(templ.data())) {
			std::perror("mkdtemp");
			std::abort();
		}
		path_ = templ;
	}
	~ScratchDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	ScratchDir(const ScratchDir &) = delete;
	ScratchDir &operator=(const ScratchDir &) = delete;

	const std::string &path() const { return path_; }

	void write(const std::string &relative, std::string_view content) const
	{
		const std::filesystem::path p = path_ + "/" + relative;
		std::filesystem::create_directories(p.parent_path());
		std::ofstream f(p, std::ios::binary | std::ios::trunc);
		f.write(content.data(), static_cast<std::streamsize>(content.size()));
		if (!f.flush()) {
			std::perror(p.c_str());
			std::abort();
		}
	}

	void remove(const std::string &relative) const
	{
		std::error_code ec;
		std::filesystem::remove(path_ + "/" + relative, ec);
	}

private:
	std::string path_;
};

}  // namespace txqg::fuzz
