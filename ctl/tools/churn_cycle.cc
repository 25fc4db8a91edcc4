#include "churn_cycle.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <thread>

#include "genl_ovs_datapath.h"
#include "netns.h"
#include "result.h"

namespace txqg {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kTapPort = 1, kHealthyPort = 2;
// Churned ports take numbers in turn, so a port OVS has not dropped yet never
// blocks the next cycle's number (and is reported as a leak instead).
constexpr std::uint32_t kFirstChurnPort = 3, kChurnPorts = 1000;
const std::string kHealthy = "cq-ok", kHealthyPeer = "cq-ok-p";

// The peer's side in the --netns shape: the namespace and a datapath of its
// own in it. Its sockets hold the namespace as much as its fd does.
struct PeerSide {
	std::optional<NetNamespace> ns;
	std::unique_ptr<GenlOvsDatapath> inner;

	void drop()
	{
		inner.reset();
		if (ns)
			ns->close();
	}
};

// The churned pair is deleted on every way out of a cycle: on the normal
// path by delete_now() under traffic, on an error by the destructor.
class ChurnedPair {
public:
	ChurnedPair(RtnlLinks &links, std::string name, PeerSide &side) :
	    links_(links), name_(std::move(name)), side_(side)
	{
	}
	~ChurnedPair()
	{
		if (!deleted_)
			(void)delete_now();
	}
	ChurnedPair(const ChurnedPair &) = delete;
	ChurnedPair &operator=(const ChurnedPair &) = delete;

	Result<void> delete_now()
	{
		deleted_ = true;
		if (side_.ns) {
			// Deleting the namespace unregisters the peer, and with it our end,
			// later and in a batch (cleanup_net).
			side_.drop();
			return {};
		}
		return links_.remove(name_);
	}

private:
	RtnlLinks &links_;
	std::string name_;
	PeerSide &side_;
	bool deleted_ = false;
};

}  // namespace

ChurnBed::~ChurnBed()
{
	if (auto r = teardown(); !r)
		std::cerr << "txqg-churn: cleanup: " << r.error().message << "\n";
}

Result<void> ChurnBed::build()
{
	auto links = RtnlLinks::open();
	if (!links)
		return links.error();
	links_ = std::move(*links);
	auto ovs = GenlOvsDatapath::open();
	if (!ovs)
		return ovs.error();
	ovs_ = std::move(*ovs);

	datapath_ = true;  // a half-made datapath is still worth a delete
	TXQG_TRY(ovs_->create(opts_.datapath));
	TXQG_TRY(links_->set_up(opts_.tap, true));
	// Multi-queue, so the txhash guard's pick runs for every healthy frame too.
	TXQG_TRY(links_->create_veth_pair(kHealthy, kHealthyPeer,
				     VethOptions{.tx_queues = opts_.queues, .up = true}));
	healthy_ = true;
	TXQG_TRY(links_->set_up(kHealthyPeer, true));
	TXQG_TRY(ovs_->add_port(opts_.tap, kTapPort));
	TXQG_TRY(ovs_->add_port(kHealthy, kHealthyPort));
	TXQG_TRY(ovs_->add_flow(kTapPort, {kHealthyPort}));
	return {};
}

std::string ChurnBed::describe() const
{
	const std::string q = std::to_string(opts_.queues) + "-queue veth";
	return "datapath " + opts_.datapath + ": tap " + opts_.tap + " port 1, " + q + " " +
	       kHealthy + " port 2 (healthy); " + std::to_string(opts_.cycles) + " cycles of a " +
	       q +
	       (opts_.netns ? " whose peer lives in a namespace with a datapath of its own, deleted"
			    : " deleted") +
	       " after " + std::to_string(opts_.dwell) + " ms of traffic";
}

Result<std::uint64_t> ChurnBed::healthy_rx()
{
	auto s = links_->stats(kHealthyPeer);
	if (!s)
		return s.error();
	return s->rx_packets;
}

Result<CycleReport> ChurnBed::cycle(unsigned i, Sleeper sleep)
{
	const std::string name = "cq" + std::to_string(i), peer = "cqp" + std::to_string(i);
	const std::uint32_t port = kFirstChurnPort + i % kChurnPorts;
	auto rx_before = healthy_rx();
	if (!rx_before)
		return rx_before.error();

	PeerSide side;
	VethOptions veth{.tx_queues = opts_.queues, .up = true};
	if (opts_.netns) {
		auto ns = NetNamespace::create();
		if (!ns)
			return ns.error();
		side.ns.emplace(std::move(*ns));
		veth.peer_netns_fd = side.ns->fd();
	}
	TXQG_TRY(links_->create_veth_pair(name, peer, veth));
	ChurnedPair pair(*links_, name, side);
	if (opts_.netns) {
		auto inner = side.ns->run([&]() -> Result<std::unique_ptr<GenlOvsDatapath>> {
			auto links = RtnlLinks::open();
			if (!links)
				return links.error();
			TXQG_TRY((*links)->set_up(peer, true));
			auto dp = GenlOvsDatapath::open();
			if (!dp)
				return dp.error();
			TXQG_TRY((*dp)->create("inner"));
			TXQG_TRY((*dp)->add_port(peer, 1));
			return std::move(*dp);
		});
		if (!inner)
			return inner.error();
		side.inner = std::move(*inner);
	} else {
		TXQG_TRY(links_->set_up(peer, true));
	}
	TXQG_TRY(ovs_->add_port(name, port));
	TXQG_TRY(ovs_->set_flow(kTapPort, {port, kHealthyPort}));
	if (!sleep(std::chrono::milliseconds(opts_.dwell)))
		return Error{ErrorCode::Interrupted, "interrupted"};
	// The flow still outputs to the port while its device goes away.
	TXQG_TRY(pair.delete_now());
	TXQG_TRY(wait_port_gone(port, name));
	TXQG_TRY(ovs_->set_flow(kTapPort, {kHealthyPort}));

	auto rx_after = healthy_rx();
	if (!rx_after)
		return rx_after.error();
	return CycleReport{*rx_after > *rx_before};
}

Result<void> ChurnBed::wait_port_gone(std::uint32_t port, const std::string &name)
{
	const auto deadline =
		std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.port_timeout);
	for (;;) {
		auto ports = ovs_->ports();
		if (!ports)
			return ports.error();
		if (std::find(ports->begin(), ports->end(), port) == ports->end())
			return {};
		if (std::chrono::steady_clock::now() > deadline)
			return Error{ErrorCode::Timeout,
				     "port " + std::to_string(port) + " (" + name +
					     ") still in datapath " + opts_.datapath + " " +
					     std::to_string(opts_.port_timeout) +
					     " ms after its device was deleted"};
		std::this_thread::sleep_for(2ms);
	}
}

Result<void> ChurnBed::teardown()
{
	std::optional<Error> first;
	// The datapath first: its ports hold the devices.
	if (datapath_ && ovs_) {
		datapath_ = false;
		if (auto r = ovs_->destroy(); !r)
			first = r.error();
	}
	if (healthy_ && links_) {
		healthy_ = false;
		if (auto r = links_->remove(kHealthy); !r && !first)
			first = r.error();
	}
	if (first)
		return *first;
	return {};
}

}  // namespace txqg
