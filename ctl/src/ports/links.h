// Network devices of the calling thread's network namespace: what verify
// builds its test bed from.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "result.h"

namespace txqg {

struct LinkStats {
	std::uint64_t rx_packets = 0;
	std::uint64_t tx_packets = 0;
	std::uint64_t rx_dropped = 0;
	std::uint64_t tx_dropped = 0;
};

// A tap device held open: frames written here enter the stack as received
// by the tap (tun records rx queue 0 on each). The device goes with it.
class Tap {
public:
	virtual ~Tap() = default;
	virtual Result<void> write_frame(std::span<const std::uint8_t> frame) = 0;
};

class Links {
public:
	virtual ~Links() = default;
	// Both ends get tx_queues transmit queues.
	virtual Result<void> create_veth(const std::string &name, const std::string &peer,
					 unsigned tx_queues) = 0;
	virtual Result<void> create_dummy(const std::string &name) = 0;
	virtual Result<std::unique_ptr<Tap>> create_tap(const std::string &name) = 0;
	virtual Result<void> set_up(const std::string &name, bool up) = 0;
	virtual Result<void> remove(const std::string &name) = 0;
	virtual Result<int> ifindex(const std::string &name) = 0;
	virtual Result<LinkStats> stats(const std::string &name) = 0;
};

}  // namespace txqg
