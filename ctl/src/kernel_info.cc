#include "kernel_info.h"

#include <sys/utsname.h>

#include <cerrno>

#include "file_io.h"

namespace txqg {

Result<Uname> SysKernelInfo::uname()
{
	struct utsname u;
	if (::uname(&u) != 0)
		return errno_error(errno, "uname");
	return Uname{u.release, u.machine};
}

Result<std::string> SysKernelInfo::proc_version()
{
	return read_text_file("/proc/version");
}

}  // namespace txqg
