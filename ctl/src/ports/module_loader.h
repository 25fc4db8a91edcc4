// Loading and removing txqguard.ko through libkmod.
#pragma once

#include <string>

#include "result.h"

namespace txqg {

class ModuleLoader {
public:
	virtual ~ModuleLoader() = default;
	// modprobe-style: looked up in /lib/modules/$(uname -r).
	virtual Result<void> load_by_name(const std::string &name, const std::string &options) = 0;
	virtual Result<void> load_from_path(const std::string &path, const std::string &options) = 0;
	virtual Result<void> remove(const std::string &name) = 0;
};

}  // namespace txqg
