#include "verify.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "contract.h"
#include "frames.h"
#include "result.h"

namespace txqg {
namespace {

using namespace std::chrono_literals;

// What verify created, removed in reverse on every way out: the datapath
// first (its ports hold the devices), then the links, then the taps.
class TestBed {
public:
	TestBed(Lab &lab, std::vector<std::string> &errors) : lab_(lab), errors_(errors) {}
	~TestBed() { teardown(); }
	TestBed(const TestBed &) = delete;
	TestBed &operator=(const TestBed &) = delete;

	Result<void> datapath(const std::string &name)
	{
		auto r = lab_.ovs.create(name);
		datapath_ = true;	// a half-made datapath is still worth a delete
		return r;
	}

	Result<Tap *> tap(const std::string &name)
	{
		auto t = lab_.links.create_tap(name);
		if (!t)
			return t.error();
		taps_.push_back(std::move(*t));
		return taps_.back().get();
	}

	Result<void> veth(const std::string &name, const std::string &peer, unsigned queues)
	{
		auto r = lab_.links.create_veth(name, peer, queues);
		if (r)
			links_.push_back(name);	// the peer goes with it
		return r;
	}

	Result<void> dummy(const std::string &name)
	{
		auto r = lab_.links.create_dummy(name);
		if (r)
			links_.push_back(name);
		return r;
	}

	void forget_link(const std::string &name)
	{
		links_.erase(std::remove(links_.begin(), links_.end(), name), links_.end());
	}

	void teardown()
	{
		if (datapath_) {
			datapath_ = false;
			if (auto r = lab_.ovs.destroy(); !r)
				errors_.push_back(r.error().message);
		}
		for (auto it = links_.rbegin(); it != links_.rend(); ++it)
			if (auto r = lab_.links.remove(*it); !r)
				errors_.push_back(r.error().message);
		links_.clear();
		taps_.clear();
	}

private:
	Lab &lab_;
	std::vector<std::string> &errors_;
	bool datapath_ = false;
	std::vector<std::string> links_;
	std::vector<std::unique_ptr<Tap>> taps_;
};

// A thread joined on every way out of the scope.
class Joined {
public:
	template <typename Fn>
	explicit Joined(Fn fn) : t_(std::move(fn)) {}
	~Joined() { join(); }
	void join()
	{
		if (t_.joinable())
			t_.join();
	}

private:
	std::thread t_;
};

std::uint64_t grew(const Stats &before, const Stats &after, std::string_view name)
{
	auto a = before.counter(name), b = after.counter(name);
	if (!a || !b)
		return 0;
	// A module reloaded in between starts again from zero.
	return *b >= *a ? *b - *a : *b;
}

Result<void> bring_up(Links &links, std::initializer_list<const char *> names)
{
	for (const char *n : names)
		TXQG_TRY(links.set_up(n, true));
	return {};
}

Error interrupted_error()
{
	return Error{ErrorCode::Interrupted, "interrupted"};
}

}  // namespace

bool VerifyVerdict::guards_live() const
{
	return !checks.empty() &&
	       std::all_of(checks.begin(), checks.end(), [](const Check &c) { return c.passed; });
}

VerifyVerdict judge_canaries(const CanaryCounts &c)
{
	VerifyVerdict v;
	const std::string out_of = " for " + std::to_string(c.healthy_delivered) +
				   " frames delivered through the " +
				   std::to_string(kVerifyVethQueues) + "-queue veth";
	auto check = [&](const std::string &guard, std::uint64_t checked) {
		Check k{guard, false, ""};
		if (c.healthy_delivered == 0) {
			k.detail = "none of the " + std::to_string(c.sent) +
				   " canaries reached the healthy port: nothing to measure";
			return k;
		}
		k.passed = checked >= c.healthy_delivered;
		k.detail = guard + "_checked +" + std::to_string(checked) + out_of +
			   (k.passed ? "" : ": the probe is not on this kernel's transmit path");
		return k;
	};
	v.checks.push_back(check(std::string(kTxhashGuard), c.txhash_checked));
	v.checks.push_back(check(std::string(kOvsOutputGuard), c.ovs_output_checked));

	// Any output to a down port that reaches ovs_vport_send proves
	// do_output() lacks the check, the canaries' or not.
	const std::string counted = "ovs_output_port_down +" + std::to_string(c.down_port_outputs);
	if (!v.checks[1].passed) {
		v.fix = KernelFix::Unknown;
		v.fix_detail = "cannot tell: the ovs_output probe saw no output";
	} else if (c.down_port_outputs > 0) {
		v.fix = KernelFix::NotFixed;
		v.fix_detail = "Open vSwitch handed outputs for the admin-down port to ovs_vport_send (" +
			       counted + " for " + std::to_string(c.sent) +
			       " canaries): do_output() lacks upstream 47e55e4b410f";
	} else {
		v.fix = KernelFix::Fixed;
		v.fix_detail = "do_output() dropped the frames for the admin-down port before "
			       "ovs_vport_send (" + counted + "), as upstream 47e55e4b410f does";
	}
	return v;
}

Result<CanaryCounts> run_canaries(Lab &lab, LabContext &ctx, unsigned canaries,
				  std::vector<std::string> &cleanup_errors)
{
	TestBed bed(lab, cleanup_errors);
	TXQG_TRY(bed.datapath(kVerifyDatapath));
	auto tap = bed.tap(kVerifyTap);
	if (!tap)
		return tap.error();
	TXQG_TRY(bed.veth(kVerifyVeth, kVerifyVethPeer, kVerifyVethQueues));
	// Left admin-down: not running, and a dummy keeps its carrier.
	TXQG_TRY(bed.dummy(kVerifyDown));
	TXQG_TRY(bring_up(lab.links, {kVerifyTap, kVerifyVeth, kVerifyVethPeer}));
	TXQG_TRY(lab.ovs.add_port(kVerifyTap, 1));
	TXQG_TRY(lab.ovs.add_port(kVerifyVeth, 2));
	TXQG_TRY(lab.ovs.add_port(kVerifyDown, 3));
	TXQG_TRY(lab.ovs.add_flow(1, {2, 3}));
	if (ctx.interrupted())
		return interrupted_error();

	auto before = ctx.stats.stats();
	if (!before)
		return before.error();
	auto peer_before = lab.links.stats(kVerifyVethPeer);
	if (!peer_before)
		return peer_before.error();

	CanaryCounts c;
	for (unsigned i = 0; i < canaries; i++) {
		TXQG_TRY((*tap)->write_frame(test_frame(static_cast<std::uint16_t>(40000 + i))));
		c.sent++;
	}
	// Frames from a tap are forwarded in the writer's softirq, so they are
	// normally through already; a loaded host gets two seconds.
	std::uint64_t delivered = 0;
	for (int i = 0; i < 100; i++) {
		auto peer = lab.links.stats(kVerifyVethPeer);
		if (!peer)
			return peer.error();
		delivered = peer->rx_packets - peer_before->rx_packets;
		if (delivered >= c.sent || ctx.interrupted())
			break;
		ctx.sleep(20ms);
	}
	if (ctx.interrupted())
		return interrupted_error();
	c.healthy_delivered = delivered;

	auto after = ctx.stats.stats();
	if (!after)
		return after.error();
	c.txhash_checked = grew(*before, *after, "txhash_checked");
	c.ovs_output_checked = grew(*before, *after, "ovs_output_checked");
	c.down_port_outputs = grew(*before, *after, "ovs_output_port_down");
	c.txhash_hazards = grew(*before, *after, "txhash_hazards");
	c.ovs_output_hazards = grew(*before, *after, "ovs_output_hazards");
	bed.teardown();
	return c;
}

Result<ReproduceCounts> run_reproduce(Lab &lab, LabContext &ctx, SelftestHooks &hooks,
				      const ReproduceOptions &opts,
				      std::vector<std::string> &cleanup_errors)
{
	TestBed bed(lab, cleanup_errors);
	TXQG_TRY(bed.datapath(kReproDatapath));
	auto tap = bed.tap(kReproTap);
	if (!tap)
		return tap.error();
	TXQG_TRY(bed.veth(kReproDie, kReproDiePeer, 1));
	TXQG_TRY(bed.veth(kReproOk, kReproOkPeer, 1));
	TXQG_TRY(bring_up(lab.links, {kReproTap, kReproDie, kReproDiePeer, kReproOk, kReproOkPeer}));
	TXQG_TRY(lab.ovs.add_port(kReproTap, 1));
	TXQG_TRY(lab.ovs.add_port(kReproDie, 2));
	TXQG_TRY(lab.ovs.add_port(kReproOk, 3));
	TXQG_TRY(lab.ovs.add_flow(1, {2, 3}));
	// The delete blocks until OVS lets go of the port, after the hold.
	auto deleter_links = lab.open_links();
	if (!deleter_links)
		return deleter_links.error();

	ReproduceCounts c;
	std::atomic<bool> stop_flood{false};
	std::atomic<std::uint64_t> injected{0};
	Tap *flood_tap = *tap;
	Joined flood([&] {
		for (std::uint16_t port = 1024; !stop_flood.load(); port = port == 0xffff ? 1024 : port + 1) {
			// EIO while a port is down, as tapflood ignores it too.
			(void)flood_tap->write_frame(test_frame(port));
			injected++;
		}
	});
	struct StopFlood {
		std::atomic<bool> &stop;
		Joined &thread;
		~StopFlood()
		{
			stop = true;
			thread.join();
		}
	} stop_on_exit{stop_flood, flood};

	ctx.sleep(500ms);
	auto ok_before = lab.links.stats(kReproOkPeer);
	if (!ok_before)
		return ok_before.error();
	c.healthy_before = ok_before->rx_packets;
	if (c.healthy_before == 0)
		return Error{ErrorCode::Io, "the healthy port received nothing before the window"};
	if (ctx.interrupted())
		return interrupted_error();
	auto before = ctx.stats.stats();
	if (!before)
		return before.error();

	TXQG_TRY(hooks.watch_kernel_log());
	std::atomic<bool> hold_done{false};
	std::optional<Error> hold_error;
	Joined holder([&] {
		if (auto r = hooks.hold_ovs_lock(opts.hold); !r)
			hold_error = r.error();
		hold_done = true;
	});
	if (auto taken = hooks.wait_hold_taken(5s); !taken) {
		holder.join();
		return hold_error ? *hold_error : taken.error();
	}

	auto ok_t0 = lab.links.stats(kReproOkPeer);
	if (!ok_t0)
		return ok_t0.error();
	std::optional<Error> delete_error;
	Links &second = **deleter_links;
	Joined deleter([&] {
		if (auto r = second.remove(kReproDie); !r)
			delete_error = r.error();
	});
	// The last sample taken while the lock was still held bounds the window.
	std::uint64_t ok_t1 = ok_t0->rx_packets;
	for (;;) {
		auto s = lab.links.stats(kReproOkPeer);
		if (hold_done)
			break;
		if (s)
			ok_t1 = s->rx_packets;
		ctx.sleep(100ms);
	}
	holder.join();
	deleter.join();
	if (hold_error)
		return *hold_error;
	if (delete_error)
		return *delete_error;
	bed.forget_link(kReproDie);
	c.healthy_window = ok_t1 - ok_t0->rx_packets;

	if (!ctx.interrupted())
		ctx.sleep(opts.flood_after);
	stop_flood = true;
	flood.join();
	c.injected = injected;
	auto after = ctx.stats.stats();
	if (!after)
		return after.error();
	c.ovs_output_hazards = grew(*before, *after, "ovs_output_hazards");
	c.txhash_hazards = grew(*before, *after, "txhash_hazards");
	c.neutralized = grew(*before, *after, "ovs_output_dropped") +
			grew(*before, *after, "txhash_neutralized");
	c.port_down = grew(*before, *after, "ovs_output_port_down");
	bed.teardown();
	if (ctx.interrupted())
		return interrupted_error();
	return c;
}

}  // namespace txqg
