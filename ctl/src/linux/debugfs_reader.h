// Raw access to /sys/kernel/debug/txqguard/{stats,events,probes}.
#pragma once

#include <string>

#include "result.h"

namespace txqg {

enum class DebugfsFile { Stats, Events, Probes };

const char *debugfs_file_name(DebugfsFile file);

class DebugfsReader {
public:
	virtual ~DebugfsReader() = default;
	virtual Result<std::string> read(DebugfsFile file) = 0;
};

class FsDebugfsReader : public DebugfsReader {
public:
	// verify_mount: tell "debugfs is not mounted" from "no such file" by the
	// file system magic of debugfs_root (off for tests on a plain tree).
	explicit FsDebugfsReader(std::string debugfs_root = "/sys/kernel/debug",
				 bool verify_mount = true);
	Result<std::string> read(DebugfsFile file) override;

private:
	std::string root_;
	bool verify_mount_;
};

}  // namespace txqg
