// Prometheus text exposition (format 0.0.4) of a HostState.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json.h"

#include "host_state.h"

namespace txqg {

struct MetricSample {
	std::vector<std::pair<std::string, std::string>> labels;
	std::uint64_t value = 0;
};

struct MetricFamily {
	std::string name;
	std::string help;
	std::string type;	// "counter" or "gauge"
	std::vector<MetricSample> samples;
};

std::vector<MetricFamily> build_metrics(const HostState &host);
std::string render_prometheus(const std::vector<MetricFamily> &families);
Json metrics_to_json(const std::vector<MetricFamily> &families);

std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);

}  // namespace txqg
