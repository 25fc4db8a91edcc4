// The running kernel's identity.
#pragma once

#include <string>

#include "result.h"

namespace txqg {

struct Uname {
	std::string release;	// uname -r
	std::string machine;	// uname -m
	std::string build;	// uname -v: "#1 SMP Debian 5.10.223-1 (2024-08-10)"
};

class KernelInfo {
public:
	virtual ~KernelInfo() = default;
	virtual Result<Uname> uname() = 0;
	virtual Result<std::string> proc_version() = 0;
	// This boot's random id (/proc/sys/kernel/random/boot_id), trimmed.
	virtual Result<std::string> boot_id() = 0;
};

}  // namespace txqg
