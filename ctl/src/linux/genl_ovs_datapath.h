// OvsDatapath on generic netlink (libnl-3).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "genl_socket.h"
#include "ovs_datapath.h"

namespace txqg {

class GenlOvsDatapath : public OvsDatapath {
public:
	// NotLoaded when openvswitch's families are not registered.
	static Result<std::unique_ptr<GenlOvsDatapath>> open();

	Result<void> create(const std::string &name) override;
	Result<void> add_port(const std::string &ifname, std::uint32_t port_no) override;
	Result<void> add_flow(std::uint32_t in_port, const std::vector<std::uint32_t> &outputs) override;
	Result<void> destroy() override;

	// Replaces the outputs of the flow add_flow made for in_port, in place:
	// no moment without a flow, so traffic keeps going to the other ports.
	Result<void> set_flow(std::uint32_t in_port, const std::vector<std::uint32_t> &outputs);
	// The datapath's port numbers. A port whose device was unregistered
	// stays listed until OVS's own work item removes it.
	Result<std::vector<std::uint32_t>> ports();

private:
	Result<void> put_flow(std::uint8_t cmd, int flags, std::uint32_t in_port,
			      const std::vector<std::uint32_t> &outputs);

	GenlOvsDatapath(GenlSocket sock, int dp, int vport, int flow)
		: sock_(std::move(sock)), dp_family_(dp), vport_family_(vport), flow_family_(flow)
	{
	}

	GenlSocket sock_;
	int dp_family_, vport_family_, flow_family_;
	std::string name_;
	int dp_ifindex_ = 0;
};

}  // namespace txqg
