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

}  // namespace txqg
