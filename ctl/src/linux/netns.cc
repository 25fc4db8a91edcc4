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
	// The file descriptor outlives the thread, and the namespace with it.
	return in_new_netns("cannot create a network namespace", []() -> Result<NetNamespace> {
		UniqueFd fd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
		struct stat st;
		if (!fd || ::fstat(fd.get(), &st) != 0)
			return errno_error(errno, "cannot open the new network namespace");
		return NetNamespace(std::move(fd), static_cast<std::uint32_t>(st.st_ino));
	});
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
