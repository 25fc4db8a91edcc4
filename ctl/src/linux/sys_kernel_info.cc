#include "sys_kernel_info.h"

#include <sys/utsname.h>

#include <cerrno>

#include "file_io.h"

namespace txqg {

SysKernelInfo::SysKernelInfo(std::string boot_id_path) : boot_id_path_(std::move(boot_id_path))
{
}

Result<Uname> SysKernelInfo::uname()
{
	struct utsname u;
	if (::uname(&u) != 0)
		return errno_error(errno, "uname");
	return Uname{u.release, u.machine, u.version};
}

Result<std::string> SysKernelInfo::proc_version()
{
	return read_text_file("/proc/version");
}

Result<std::string> SysKernelInfo::boot_id()
{
	auto id = read_text_file(boot_id_path_);
	if (!id)
		return id.error();
	std::string s = std::move(*id);
	while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
		s.pop_back();
	if (s.empty())
		return Error{ErrorCode::Parse, boot_id_path_ + " is empty"};
	return s;
}

}  // namespace txqg
