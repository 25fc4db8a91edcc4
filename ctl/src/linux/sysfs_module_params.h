// ModuleParams from /sys/module/<name>/.
#pragma once

#include <string>
#include <string_view>

#include "module_params.h"

namespace txqg {

class SysfsModuleParams : public ModuleParams {
public:
	explicit SysfsModuleParams(std::string sysfs_module_root = "/sys/module");

	bool loaded(std::string_view module) override;
	Result<std::string> version() override;
	Result<std::string> mode() override;
	Result<void> set_mode(std::string_view mode) override;
	Result<bool> selftest() override;
	Result<std::string> srcversion() override;
	Result<unsigned> refcount() override;

private:
	Result<std::string> read_value(const std::string &relative);
	std::string path(const std::string &relative) const;

	std::string root_;
};

}  // namespace txqg
