#include "debugfs_stats_source.h"

namespace txqg {
namespace {

template <typename T, typename Parser>
Result<T> read_and_parse(DebugfsReader &reader, DebugfsFile file, Parser parse)
{
	auto text = reader.read(file);
	if (!text)
		return text.error();
	return parse(*text);
}

}  // namespace

Result<Stats> DebugfsStatsSource::stats()
{
	return read_and_parse<Stats>(reader_, DebugfsFile::Stats, parse_stats);
}

Result<std::vector<Event>> DebugfsStatsSource::events()
{
	return read_and_parse<std::vector<Event>>(reader_, DebugfsFile::Events, parse_events);
}

Result<std::vector<Probe>> DebugfsStatsSource::probes()
{
	return read_and_parse<std::vector<Probe>>(reader_, DebugfsFile::Probes, parse_probes);
}

}  // namespace txqg
