#pragma once

#include "debugfs_reader.h"
#include "stats_source.h"

namespace txqg {

class DebugfsStatsSource : public StatsSource {
public:
	explicit DebugfsStatsSource(DebugfsReader &reader) : reader_(reader) {}

	std::string_view name() const override { return "debugfs"; }
	Result<Stats> stats() override;
	Result<std::vector<Event>> events() override;
	Result<std::vector<Probe>> probes() override;

private:
	DebugfsReader &reader_;
};

}  // namespace txqg
