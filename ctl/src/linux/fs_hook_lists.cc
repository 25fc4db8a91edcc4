#include "fs_hook_lists.h"

#include "file_io.h"

namespace txqg {

FsHookLists::FsHookLists(std::string debugfs_root, std::string tracefs_root)
	: debugfs_(std::move(debugfs_root)), tracefs_(std::move(tracefs_root))
{
}

Result<std::string> FsHookLists::kprobes_list()
{
	return read_text_file(debugfs_ + "/kprobes/list");
}

// tracefs has its own mount point since 4.1; debugfs still carries it
// under tracing/ where only debugfs is mounted.
Result<std::string> FsHookLists::enabled_functions()
{
	auto text = read_text_file(tracefs_ + "/enabled_functions");
	if (text || text.error().code != ErrorCode::NotFound)
		return text;
	return read_text_file(debugfs_ + "/tracing/enabled_functions");
}

}  // namespace txqg
