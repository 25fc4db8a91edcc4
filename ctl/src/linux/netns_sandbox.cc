#include "netns_sandbox.h"

#include <sys/stat.h>

#include <cerrno>

#include "file_io.h"
#include "genl_ovs_datapath.h"
#include "netns.h"
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
	return in_new_netns("cannot create a private network namespace", [&]() -> Result<void> {
		struct stat st;
		if (::stat("/proc/thread-self/ns/net", &st) != 0)
			return errno_error(errno, "cannot identify the private network namespace");
		quiet_ipv6();
		auto links = RtnlLinks::open();
		if (!links)
			return links.error();
		auto ovs = GenlOvsDatapath::open();
		if (!ovs)
			return ovs.error();
		Lab lab{**links, **ovs, static_cast<std::uint32_t>(st.st_ino), open_links};
		body(lab);
		return {};
	});
}

}  // namespace txqg
