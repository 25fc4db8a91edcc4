#include "netns_sandbox.h"

#include <sched.h>
#include <sys/stat.h>

#include <cerrno>
#include <exception>
#include <optional>
#include <thread>

#include "file_io.h"
#include "genl_ovs_datapath.h"
#include "netlink_error.h"
#include "rtnl_links.h"

namespace txqg {
namespace {

// IPv6 autoconfiguration would send its own frames through the test ports
// and blur the canary counts.
void quiet_ipv6()
{
	for (const char *path : {"/proc/sys/net/ipv6/conf/default/disable_ipv6",
				 "/proc/sys/net/ipv6/conf/all/disable_ipv6"})
		(void)write_existing_file(path, "1");
}

Result<std::unique_ptr<Links>> open_links()
{
	auto links = RtnlLinks::open();
	if (!links)
		return links.error();
	return std::unique_ptr<Links>(std::move(*links));
}

}  // namespace

Result<void> NetnsSandbox::run(const std::function<void(Lab &)> &body)
{
	std::optional<Error> error;
	std::exception_ptr thrown;
	std::thread worker([&] {
		try {
			if (::unshare(CLONE_NEWNET) != 0) {
				error = netlink_errno_error("cannot create a private network namespace",
							    errno);
				return;
			}
			struct stat st;
			if (::stat("/proc/thread-self/ns/net", &st) != 0) {
				error = errno_error(errno, "cannot identify the private network namespace");
				return;
			}
			quiet_ipv6();
			auto links = RtnlLinks::open();
			if (!links) {
				error = links.error();
				return;
			}
			auto ovs = GenlOvsDatapath::open();
			if (!ovs) {
				error = ovs.error();
				return;
			}
			Lab lab{**links, **ovs, static_cast<std::uint32_t>(st.st_ino), open_links};
			body(lab);
		} catch (...) {
			thrown = std::current_exception();
		}
	});
	worker.join();
	if (thrown)
		std::rethrow_exception(thrown);
	if (error)
		return *error;
	return {};
}

}  // namespace txqg
