#include "textfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "file_io.h"
#include "unique_fd.h"

namespace txqg {
namespace {

// Unlinks the temporary file unless it was renamed into place.
class TempFile {
public:
	explicit TempFile(std::string path) : path_(std::move(path)) {}
	~TempFile()
	{
		if (!committed_)
			::unlink(path_.c_str());
	}
	TempFile(const TempFile &) = delete;
	TempFile &operator=(const TempFile &) = delete;

	const std::string &path() const { return path_; }
	void commit() { committed_ = true; }

private:
	std::string path_;
	bool committed_ = false;
};

Result<void> write_all(int fd, std::string_view data, const std::string &path)
{
	while (!data.empty()) {
		ssize_t n = ::write(fd, data.data(), data.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno_error(errno, "cannot write " + path);
		data.remove_prefix(static_cast<size_t>(n));
	}
	return {};
}

}  // namespace

Result<void> write_file_atomic(const std::string &path, std::string_view content, mode_t mode)
{
	namespace fs = std::filesystem;
	const fs::path target(path);
	if (!target.has_filename())
		return Error{ErrorCode::Invalid, "not a file path: " + path};
	const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
	std::string templ = (dir / ("." + target.filename().string() + ".XXXXXX")).string();

	std::vector<char> buf(templ.begin(), templ.end());
	buf.push_back('\0');
	UniqueFd fd(::mkostemp(buf.data(), O_CLOEXEC));
	if (!fd)
		return errno_error(errno, "cannot create a temporary file in " + dir.string());
	TempFile tmp(buf.data());

	if (auto r = write_all(fd.get(), content, tmp.path()); !r)
		return r;
	if (::fchmod(fd.get(), mode) != 0)
		return errno_error(errno, "cannot chmod " + tmp.path());
	if (::fsync(fd.get()) != 0 || fd.close_checked() != 0)
		return errno_error(errno, "cannot write " + tmp.path());
	if (::rename(tmp.path().c_str(), path.c_str()) != 0)
		return errno_error(errno, "cannot rename " + tmp.path() + " to " + path);
	tmp.commit();

	// The rename is durable once the directory is; losing it is harmless.
	UniqueFd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (dirfd)
		::fsync(dirfd.get());
	return {};
}

}  // namespace txqg
