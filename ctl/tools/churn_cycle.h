// The churn test bed: a datapath whose port 1 is the flooded tap and port 2
// a healthy veth, and one cycle of a churned port on top of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "genl_ovs_datapath.h"
#include "ovs_datapath.h"
#include "result.h"
#include "rtnl_links.h"

namespace txqg {

struct ChurnOptions {
	std::string tap;
	unsigned cycles = 100;
	bool netns = false;
	unsigned dwell = 20;  // ms of traffic through a port before its delete
	unsigned queues = 2;
	unsigned port_timeout = 10000;  // ms OVS may take to drop a dead port
	std::string datapath = "churn0";
};

struct CycleReport {
	bool healthy_frames = false;  // the healthy port received frames during the cycle
};

// false: stop requested.
using Sleeper = bool (*)(std::chrono::milliseconds);

class ChurnBed {
public:
	explicit ChurnBed(ChurnOptions opts) : opts_(std::move(opts)) {}
	// Whatever build() made goes on every way out; errors are printed.
	~ChurnBed();
	ChurnBed(const ChurnBed &) = delete;
	ChurnBed &operator=(const ChurnBed &) = delete;

	Result<void> build();
	std::string describe() const;
	Result<std::uint64_t> healthy_rx();
	// Cycle i: create, attach, carry traffic, delete, wait for OVS to let go.
	Result<CycleReport> cycle(unsigned i, Sleeper sleep);
	Result<void> teardown();

private:
	Result<void> wait_port_gone(std::uint32_t port, const std::string &name);

	ChurnOptions opts_;
	std::unique_ptr<RtnlLinks> links_;
	std::unique_ptr<GenlOvsDatapath> ovs_;
	bool datapath_ = false, healthy_ = false;
};

}  // namespace txqg
