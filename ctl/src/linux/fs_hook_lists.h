// HookLists read from debugfs and tracefs.
#pragma once

#include <string>

#include "hook_lists.h"

namespace txqg {

class FsHookLists : public HookLists {
public:
	explicit FsHookLists(std::string debugfs_root = "/sys/kernel/debug",
			     std::string tracefs_root = "/sys/kernel/tracing");
	Result<std::string> kprobes_list() override;
	Result<std::string> enabled_functions() override;

private:
	std::string debugfs_;
	std::string tracefs_;
};

}  // namespace txqg
