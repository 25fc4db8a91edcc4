// /sys/module: whether modules are present, and the parameters of the
// txqguard form that is loaded (module_form.h).
#pragma once

#include <string>
#include <string_view>

#include "result.h"

namespace txqg {

class ModuleParams {
public:
	virtual ~ModuleParams() = default;
	// Loaded, or built in with a /sys/module entry (openvswitch can be).
	virtual bool loaded(std::string_view module) = 0;
	virtual Result<std::string> version() = 0;
	virtual Result<std::string> mode() = 0;
	virtual Result<void> set_mode(std::string_view mode) = 0;
	virtual Result<bool> selftest() = 0;
	// The loaded form's srcversion: a checksum of its sources, which tells
	// builds of one version apart.
	virtual Result<std::string> srcversion() = 0;
	// References held on the loaded form: the live-patch core's, and the
	// module's own for unload_hold_s after a lethal hazard (kmod/hold.c).
	virtual Result<unsigned> refcount()
	{
		return Error{ErrorCode::NotFound, "no reference count"};
	}
};

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
