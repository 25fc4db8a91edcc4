#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include <cerrno>

#include "file_io.h"
#include "netlink_error.h"

namespace txqg {

Result<NetNamespace> NetNamespace::create()
{
	// unshare(2) moves the caller: a short-lived thread takes the move, and
	// its file descriptor outlives it.
	std::optional<Result<NetNamespace>> out;
	std::thread worker([&] {
		if (::unshare(CLONE_NEWNET) != 0) {
			out.emplace(
				netlink_errno_error("cannot create a network namespace", errno));
			return;
		}
		UniqueFd fd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
		struct stat st;
		if (!fd || ::fstat(fd.get(), &st) != 0) {
			out.emplace(errno_error(errno, "cannot open the new network namespace"));
			return;
		}
		out.emplace(NetNamespace(std::move(fd), static_cast<std::uint32_t>(st.st_ino)));
	});
	worker.join();
	return std::move(*out);
}

Result<void> NetNamespace::enter() const
{
	if (!fd_)
		return Error{ErrorCode::Invalid, "the network namespace was already closed"};
	if (::setns(fd_.get(), CLONE_NEWNET) != 0)
		return netlink_errno_error("cannot enter the network namespace", errno);
	return {};
}

}  // namespace txqg
