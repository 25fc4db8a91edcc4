// An in-memory host for the targets that run commands: the module, the
// kernel and the clock are fakes, so no input can reach the real system.
#pragma once

#include <chrono>
#include <memory>
#include <sstream>
#include <string>

#include "contract.h"
#include "debugfs_stats_source.h"
#include "env.h"
#include "events.h"
#include "sandbox.h"
#include "selftest_hooks.h"
#include "verify_store.h"

namespace txqg::fuzz {

// As kmod/debugfs.c prints them.
inline constexpr const char *kStatsText =
	"version 0.1.0\n"
	"mode enforce\n"
	"backend ftrace\n"
	"txhash_checked 5120\n"
	"txhash_hazards 2\n"
	"txhash_neutralized 2\n"
	"ovs_output_checked 1184309\n"
	"ovs_output_hazards 279096\n"
	"ovs_output_dropped 279096\n"
	"ovs_output_port_down 5120\n"
	"ovs_output_port_down_dropped 5120\n"
	"events_total 4096\n"
	"hold_ms 3500\n";
inline constexpr const char *kEventsText =
	"time=1795412345.123456789 cpu=0 guard=ovs_output ifname=vdie ifindex=6 "
	"netns=4026531992 reg_state=1 real_num_tx_queues=1 running=0 carrier=0 action=dropped\n"
	"time=1795412345.223456789 cpu=1 guard=txhash ifname=v\\033die ifindex=6 "
	"netns=4026531992 reg_state=2 real_num_tx_queues=0 running=0 carrier=0 "
	"action=rxq_cleared\n";
inline constexpr const char *kProbesText =
	"txhash netdev_pick_tx armed netdev_pick_tx+0x0/0x280 00000000d3ffde9f ftrace-ops\n"
	"ovs_output ovs_vport_send armed ovs_vport_send+0x0/0x120 [openvswitch] "
	"000000005ad66506 kprobe-ftrace\n";

inline constexpr const char *kRelease = "5.10.0-32-amd64";
inline constexpr const char *kProcVersion =
	"Linux version 5.10.0-32-amd64 (debian-kernel@lists.debian.org) (gcc-10 (Debian "
	"10.2.1-6) 10.2.1 20210110, GNU ld (GNU Binutils for Debian) 2.35.2) #1 SMP "
	"Debian 5.10.223-1 (2024-08-10)\n";

class FakeKernel : public KernelInfo {
public:
	Uname name{kRelease, "x86_64", "#1 SMP Debian 5.10.223-1 (2024-08-10)"};
	std::string proc = kProcVersion;

	Result<Uname> uname() override { return name; }
	Result<std::string> proc_version() override { return proc; }
	Result<std::string> boot_id() override { return std::string("b1"); }
};

class FakeParams : public ModuleParams {
public:
	bool txqguard = true;
	bool openvswitch = true;
	std::string mode_value = "enforce";
	bool selftest_value = false;

	bool loaded(std::string_view module) override
	{
		return module == kModuleName ? txqguard : module == kOvsModuleName && openvswitch;
	}
	Result<std::string> version() override { return std::string(kCtlVersion); }
	Result<std::string> mode() override { return mode_value; }
	Result<void> set_mode(std::string_view mode) override
	{
		if (!mode_from_name(mode))
			return Error{ErrorCode::Invalid, "rejected"};
		mode_value = mode;
		return {};
	}
	Result<bool> selftest() override { return selftest_value; }
	Result<std::string> srcversion() override { return std::string("3D5C8F2E1A7B9C0D4E6F812"); }
};

class FakeLoader : public ModuleLoader {
public:
	explicit FakeLoader(FakeParams &params) : params_(params) {}

	Result<void> load_by_name(const std::string &, const std::string &) override { return load(); }
	Result<void> load_from_path(const std::string &, const std::string &) override
	{
		return load();
	}
	Result<void> remove(const std::string &) override
	{
		params_.txqguard = false;
		return {};
	}

private:
	Result<void> load()
	{
		params_.txqguard = true;
		return {};
	}

	FakeParams &params_;
};

class TextReader : public DebugfsReader {
public:
	std::string stats = kStatsText, events = kEventsText, probes = kProbesText;

	Result<std::string> read(DebugfsFile file) override
	{
		switch (file) {
		case DebugfsFile::Stats: return stats;
		case DebugfsFile::Events: return events;
		case DebugfsFile::Probes: return probes;
		}
		return Error{ErrorCode::NotFound, "no such file"};
	}
};

// Every wait is answered at once with news, so follow loops spin only as
// long as the fake clock and interrupted() let them.
class FakeStream : public EventStream {
public:
	Result<bool> wait(std::chrono::milliseconds) override { return true; }
};

class FakeControl : public GuardControl {
public:
	FakeControl(FakeParams &params, TextReader &reader) : params_(params), reader_(reader) {}

	Result<void> set_mode(txqguard_mode mode) override
	{
		params_.mode_value = kModeNames[mode];
		return {};
	}
	Result<EventBatch> event_batch() override
	{
		auto events = parse_events(reader_.events);
		if (!events)
			return events.error();
		total_ += 1 + events->size() / 2;
		return EventBatch{total_, std::move(*events)};
	}
	Result<std::unique_ptr<EventStream>> subscribe_events() override
	{
		return std::unique_ptr<EventStream>(std::make_unique<FakeStream>());
	}

private:
	FakeParams &params_;
	TextReader &reader_;
	std::uint64_t total_ = 0;
};

// No test bed is ever built: verify gets as far as asking for one.
class FakeSandbox : public Sandbox {
public:
	Result<void> run(const std::function<void(Lab &)> &) override
	{
		return Error{ErrorCode::Io, "no private namespace in this host"};
	}
};

class FakeSelftest : public SelftestHooks {
public:
	Result<void> watch_kernel_log() override { return {}; }
	Result<void> hold_ovs_lock(std::chrono::milliseconds) override { return {}; }
	Result<void> wait_hold_taken(std::chrono::milliseconds) override { return {}; }
};

class MemoryVerifyStore : public VerifyStore {
public:
	std::optional<Json> saved;

	Result<void> save(const Json &record) override
	{
		saved = record;
		return {};
	}
	std::optional<Json> load() override { return saved; }
};

// The whole host; long-running commands end after a few rounds because the
// fake clock jumps a second per look and interrupted() turns true.
class FakeHost {
public:
	static constexpr int kRounds = 4;

	FakeHost()
	{
		env.control = &control;
		env.sandbox = &sandbox;
		env.selftest = &selftest;
		env.verify_store = &verify_store;
		params.selftest_value = true;	// verify --reproduce gets past its checks
		env.now = [this] {
			ticks_++;
			return std::chrono::steady_clock::time_point(std::chrono::seconds(ticks_));
		};
		env.interrupted = [this] { return ++looks_ > kRounds; };
	}

	FakeKernel kernel;
	FakeParams params;
	FakeLoader loader{params};
	TextReader reader;
	DebugfsStatsSource source{reader};
	FakeControl control{params, reader};
	FakeSandbox sandbox;
	FakeSelftest selftest;
	MemoryVerifyStore verify_store;
	std::ostringstream out, err;
	int sleeps = 0;
	Env env{kernel, params, loader, source, out, err,
		[this](std::chrono::milliseconds) { return ++sleeps < kRounds; }};

private:
	long ticks_ = 0;
	int looks_ = 0;
};

}  // namespace txqg::fuzz
