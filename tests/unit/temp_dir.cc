#include "temp_dir.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace txqg::testing {

TempDir::TempDir()
{
	std::string templ = (std::filesystem::temp_directory_path() / "txqg-test.XXXXXX").string();
	std::vector<char> buf(templ.begin(), templ.end());
	buf.push_back('\0');
	if (!::mkdtemp(buf.data()))
		throw std::runtime_error("mkdtemp failed");
	path_ = buf.data();
}

TempDir::~TempDir()
{
	std::error_code ec;
	std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string &relative, const std::string &content) const
{
	auto p = path_ / relative;
	std::filesystem::create_directories(p.parent_path());
	std::ofstream(p) << content;
}

std::string slurp(const std::string &path)
{
	std::ifstream in(path);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

}  // namespace txqg::testing
