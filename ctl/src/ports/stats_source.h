// Where the module's counters, events and probe states come from. The
// debugfs text files are one source; a generic-netlink family can be another
// implementation of the same interface.
#pragma once

#include <string_view>
#include <vector>

#include "events.h"
#include "probes.h"
#include "result.h"
#include "stats.h"

namespace txqg {

class StatsSource {
public:
	virtual ~StatsSource() = default;
	virtual std::string_view name() const = 0;
	virtual Result<Stats> stats() = 0;
	virtual Result<std::vector<Event>> events() = 0;
	virtual Result<std::vector<Probe>> probes() = 0;
};

}  // namespace txqg
