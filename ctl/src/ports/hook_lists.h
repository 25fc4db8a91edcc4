// The kernel's own lists of who hooks which function: debugfs
// kprobes/list and tracefs enabled_functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace txqg {

// kernel/kprobes.c report_probe():
//   "ffffffff8a5c1e40  k  netdev_pick_tx+0x0    [FTRACE]"
//   "ffffffffc0a81234  r  ovs_vport_send+0x0  openvswitch [DISABLED]"
struct KprobeEntry {
	std::string function;	// empty when the kernel printed a bare address
	std::string module;
	unsigned long offset = 0;
	bool retprobe = false;
	bool gone = false;	// its module was unloaded
	bool disabled = false;
	bool optimized = false;
	bool ftrace = false;

	bool active() const { return !gone && !disabled; }
};

// kernel/trace/ftrace.c t_show() with FTRACE_ITER_ENABLED:
//   "netdev_core_pick_tx (2) R I   \ttramp: 0xffffffffc0b1e000 "
//   "(klp_ftrace_handler+0x0/0x150) ->ftrace_ops_assist_func+0x0/0xf0"
struct FtraceRecord {
	std::string function;
	std::string module;
	unsigned long users = 0;	// ftrace_ops attached
	std::string flags;	// R (regs), I (ipmodify), D (direct), ...
	std::vector<std::string> handlers;	// the ops' functions, when one trampoline serves

	bool ipmodify() const { return flags.find('I') != std::string::npos; }
};

Result<std::vector<KprobeEntry>> parse_kprobes_list(std::string_view text);
Result<std::vector<FtraceRecord>> parse_enabled_functions(std::string_view text);

// Raw text of both lists: debugfs for kprobes, tracefs (or debugfs/tracing)
// for ftrace. Root only.
class HookLists {
public:
	virtual ~HookLists() = default;
	virtual Result<std::string> kprobes_list() = 0;
	virtual Result<std::string> enabled_functions() = 0;
};

}  // namespace txqg
