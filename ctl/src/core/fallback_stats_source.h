// Generic netlink first; debugfs when the family is absent (an older
// module, or a controller running outside the initial network namespace).
// Any other failure of the first source is the answer: falling back on a
// permission error would only repeat it in other words.
#pragma once

#include "stats_source.h"

namespace txqg {

class FallbackStatsSource : public StatsSource {
public:
	FallbackStatsSource(StatsSource &first, StatsSource &fallback)
		: first_(first), fallback_(fallback), used_(&first)
	{
	}

	// The source that answered last.
	std::string_view name() const override { return used_->name(); }
	Result<Stats> stats() override { return pick(&StatsSource::stats); }
	Result<std::vector<Event>> events() override { return pick(&StatsSource::events); }
	Result<std::vector<Probe>> probes() override { return pick(&StatsSource::probes); }

private:
	template <typename T>
	Result<T> pick(Result<T> (StatsSource::*get)())
	{
		used_ = &first_;
		Result<T> r = (first_.*get)();
		if (r || r.error().code != ErrorCode::NotLoaded)
			return r;
		used_ = &fallback_;
		return (fallback_.*get)();
	}

	StatsSource &first_;
	StatsSource &fallback_;
	StatsSource *used_;
};

}  // namespace txqg
