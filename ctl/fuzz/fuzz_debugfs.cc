// /sys/kernel/debug/txqguard read from real files, through every command
// that shows it. Input: stats NUL events NUL probes; a missing part is a
// missing file.
#include <sstream>

#include "commands.h"
#include "debugfs_reader.h"
#include "debugfs_stats_source.h"
#include "fake_host.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace txqg;
	static const fuzz::ScratchDir dir;
	auto parts = fuzz::split_nul(data, size);
	const DebugfsFile files[] = {DebugfsFile::Stats, DebugfsFile::Events, DebugfsFile::Probes};
	for (std::size_t i = 0; i < 3; i++) {
		const std::string name = std::string("txqguard/") + debugfs_file_name(files[i]);
		if (i < parts.size())
			dir.write(name, parts[i]);
		else
			dir.remove(name);
	}

	FsDebugfsReader reader(dir.path(), false);
	DebugfsStatsSource source(reader);
	fuzz::FakeHost host;
	std::ostringstream out, err;
	Env env{host.kernel, host.params, host.loader, source, out, err,
		[](std::chrono::milliseconds) { return false; }};
	const bool json = size % 2 == 0;
	(void)cmd_stats(env, StatsOptions{json, std::nullopt, std::nullopt});
	(void)cmd_events(env, json);
	(void)cmd_status(env, json);
	(void)cmd_metrics(env, MetricsOptions{json, std::nullopt});
	return 0;
}
