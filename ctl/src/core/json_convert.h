// JSON forms of the parsed views, for --json.
#pragma once

#include "json.h"

#include "events.h"
#include "fix_table.h"
#include "host_state.h"
#include "probes.h"
#include "stats.h"

namespace txqg {

Json to_json(const Stats &stats);
Json to_json(const Event &event);
Json to_json(const Probe &probe);
Json to_json(const std::vector<Probe> &probes);
Json to_json(const FixAssessment &fix);
Json to_json(const HostState &host);

}  // namespace txqg
