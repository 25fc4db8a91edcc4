#include "debugfs_reader.h"

#include <sys/vfs.h>
#include <linux/magic.h>

#include <cerrno>
#include <utility>

#include "contract.h"
#include "file_io.h"

namespace txqg {

const char *debugfs_file_name(DebugfsFile file)
{
	switch (file) {
	case DebugfsFile::Stats: return "stats";
	case DebugfsFile::Events: return "events";
	case DebugfsFile::Probes: return "probes";
	}
	return "?";
}

FsDebugfsReader::FsDebugfsReader(std::string debugfs_root, bool verify_mount)
	: root_(std::move(debugfs_root)), verify_mount_(verify_mount)
{
}

Result<std::string> FsDebugfsReader::read(DebugfsFile file)
{
	const std::string path = root_ + "/" + std::string(kModuleName) + "/" +
				 debugfs_file_name(file);
	auto text = read_text_file(path);
	if (text)
		return text;

	switch (text.error().code) {
	case ErrorCode::PermissionDenied:
		return Error{ErrorCode::PermissionDenied,
			     "cannot read " + path + ": permission denied (run as root; "
			     "kernel lockdown also closes debugfs)"};
	case ErrorCode::NotFound: {
		struct statfs fs;
		if (verify_mount_ &&
		    (::statfs(root_.c_str(), &fs) != 0 || fs.f_type != DEBUGFS_MAGIC))
			return Error{ErrorCode::NotMounted,
				     "debugfs is not mounted on " + root_ +
				     " (mount -t debugfs debugfs " + root_ + ")"};
		return Error{ErrorCode::NotFound, path + " does not exist: is txqguard loaded?"};
	}
	default:
		return text.error();
	}
}

}  // namespace txqg
