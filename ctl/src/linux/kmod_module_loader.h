// ModuleLoader on libkmod, bound at first use (kmod_api.h).
#pragma once

#include <string>

#include "module_loader.h"

namespace txqg {

class KmodModuleLoader : public ModuleLoader {
public:
	Result<void> load_by_name(const std::string &name, const std::string &options) override;
	Result<void> load_from_path(const std::string &path, const std::string &options) override;
	Result<void> remove(const std::string &name) override;
};

}  // namespace txqg
