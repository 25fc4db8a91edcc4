// The running kernel's identity.
#pragma once

#include <string>

#include "result.h"

namespace txqg {

struct Uname {
	std::string release;	// uname -r
	std::string machine;	// uname -m
};

class KernelInfo {
public:
	virtual ~KernelInfo() = default;
	virtual Result<Uname> uname() = 0;
	virtual Result<std::string> proc_version() = 0;
};

class SysKernelInfo : public KernelInfo {
public:
	Result<Uname> uname() override;
	Result<std::string> proc_version() override;
};

}  // namespace txqg
