// An Open vSwitch kernel datapath driven directly through its generic
// netlink families (ovs_datapath, ovs_vport, ovs_flow): no ovs-vswitchd,
// nothing persisted, nothing outside the caller's network namespace.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "result.h"

namespace txqg {

class OvsDatapath {
public:
	virtual ~OvsDatapath() = default;
	virtual Result<void> create(const std::string &name) = 0;
	// An existing netdev becomes port port_no.
	virtual Result<void> add_port(const std::string &ifname, std::uint32_t port_no) = 0;
	// IPv4 frames entering in_port go out of each of outputs, in order.
	virtual Result<void> add_flow(std::uint32_t in_port,
				      const std::vector<std::uint32_t> &outputs) = 0;
	// Removes the datapath with its ports and flows.
	virtual Result<void> destroy() = 0;
};

}  // namespace txqg
