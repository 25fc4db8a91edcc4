// The module's "stats" view: identity lines and named counters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result.h"

namespace txqg {

struct Stats {
	std::string version;
	std::string mode;
	std::string backend;
	// In the module's order: the contract's counters first, then any it
	// added later (events_total, ...), so newer modules still parse.
	std::vector<std::pair<std::string, std::uint64_t>> counters;
	// Milliseconds until the module lets itself be unloaded again (0: no
	// hold). Not a counter: it falls back to 0 on its own. Absent from a
	// module that does not report it.
	std::optional<std::uint32_t> hold_ms;

	std::optional<std::uint64_t> counter(std::string_view name) const;
};

// "name value" lines; every counter of the contract must be present.
// "hold_ms" is the unload hold, kept apart from the counters.
Result<Stats> parse_stats(std::string_view text);

}  // namespace txqg
