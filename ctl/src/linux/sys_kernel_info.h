// KernelInfo from uname(2) and procfs.
#pragma once

#include <string>

#include "kernel_info.h"

namespace txqg {

class SysKernelInfo : public KernelInfo {
public:
	explicit SysKernelInfo(std::string boot_id_path = "/proc/sys/kernel/random/boot_id");
	Result<Uname> uname() override;
	Result<std::string> proc_version() override;
	Result<std::string> boot_id() override;

private:
	std::string boot_id_path_;
};

}  // namespace txqg
