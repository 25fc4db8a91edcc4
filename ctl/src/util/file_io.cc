#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "unique_fd.h"

namespace txqg {

ErrorCode error_code_from_errno(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return ErrorCode::PermissionDenied;
	case ENOENT:
		return ErrorCode::NotFound;
	case EBUSY:
		return ErrorCode::Busy;
	case EEXIST:
		return ErrorCode::Exists;
	case EINVAL:
		return ErrorCode::Invalid;
	default:
		return ErrorCode::Io;
	}
}

Error errno_error(int err, std::string_view what)
{
	Error e{error_code_from_errno(err), std::string(what) + ": " + std::strerror(err)};
	e.sys_errno = err;
	return e;
}

Result<std::string> read_text_file(const std::string &path)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd)
		return errno_error(errno, "cannot open " + path);
	std::string text;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd.get(), buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno_error(errno, "cannot read " + path);
		if (n == 0)
			break;
		text.append(buf, static_cast<size_t>(n));
	}
	return text;
}

Result<void> write_existing_file(const std::string &path, std::string_view data)
{
	// O_TRUNC as a shell redirection does: sysfs ignores it, plain files need it.
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
	if (!fd)
		return errno_error(errno, "cannot open " + path);
	ssize_t n;
	do {
		n = ::write(fd.get(), data.data(), data.size());
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno_error(errno, "cannot write " + path);
	if (static_cast<size_t>(n) != data.size())
		return Error{ErrorCode::Io, "short write to " + path};
	if (fd.close_checked() < 0)
		return errno_error(errno, "cannot write " + path);
	return {};
}

bool path_exists(const std::string &path)
{
	struct stat st;
	return ::stat(path.c_str(), &st) == 0;
}

}  // namespace txqg
