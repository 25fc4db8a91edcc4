// SPDX-License-Identifier: GPL-2.0
/*
 * The attachment layer: puts a guard's handler at the entry of its target
 * through a kprobe or through the ftrace_ops of our own (attach_ftrace.c).
 *
 * Where kprobes cannot ride ftrace (arm64 5.10 has no KPROBES_ON_FTRACE) a
 * kprobe is a BRK breakpoint, and every packet a guarded function handles
 * takes a debug exception and a single-step. The ftrace_ops gives the handler
 * the same pt_regs from a patched call instead, and may redirect the return
 * just as a kprobe pre-handler may.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "txqguard.h"

const char *const txqg_attach_names[__TXQG_ATTACH_MAX] = {
	"auto", "kprobe", "ftrace",
};

static const char *const kind_names[] = {
	[TXQG_KIND_NONE] = "-",
	[TXQG_KIND_FTRACE_OPS] = "ftrace-ops",
	[TXQG_KIND_FTRACE_DIRECT] = "ftrace-direct",
	[TXQG_KIND_KPROBE_FTRACE] = "kprobe-ftrace",
	[TXQG_KIND_BREAKPOINT] = "breakpoint",
	[TXQG_KIND_LIVEPATCH] = "livepatch",
};

static enum txqg_attach attach_mode = TXQG_ATTACH_AUTO;

/*
 * auto: our own ftrace_ops wherever the kernel can give one pt_regs. Without
 * KPROBES_ON_FTRACE (arm64 5.10) a kprobe is a breakpoint per packet; with it
 * (x86) the kprobe still adds its table lookup and bookkeeping around the
 * same handler (tests/bench/forward.sh: 0.89 of the unguarded rate against
 * 0.98), and removing a kprobe under a transmit flood soft-locked a CPU at
 * the probed site in one run of four, which the ftrace_ops never did.
 */
static enum txqg_attach attach_auto(void)
{
#ifdef TXQG_HAVE_FTRACE_ATTACH
	return TXQG_ATTACH_FTRACE;
#else
	return TXQG_ATTACH_KPROBE;
#endif
}

/* Called once, at load, before any probe is attached. */
int txqg_attach_select(const char *name)
{
	int i = sysfs_match_string(txqg_attach_names, name);

	if (i < 0) {
		pr_err("attach must be one of auto, kprobe, ftrace\n");
		return -EINVAL;
	}
	if (i == TXQG_ATTACH_AUTO)
		i = attach_auto();
#ifndef TXQG_HAVE_FTRACE_ATTACH
	if (i == TXQG_ATTACH_FTRACE) {
		pr_err("attach=ftrace needs a kernel with CONFIG_DYNAMIC_FTRACE_WITH_REGS\n");
		return -EOPNOTSUPP;
	}
#endif
	attach_mode = i;
	return 0;
}

enum txqg_attach txqg_attach_get(void)
{
	return attach_mode;
}

/* Resolving the name is all a kprobe can check before it is armed. */
static int kprobe_prepare(struct txqg_probe *p)
{
	return txqg_lookup_name(p->symbol) ? 0 : -ENOENT;
}

/*
 * Never called: its presence makes a kprobe on ftrace use the kprobes core's
 * IPMODIFY ftrace_ops, so the kernel refuses us, or a later hook, when some
 * other IP-modifying hook (a live patch, another ftrace_ops) owns the same
 * function. Without it our skip and the other's redirect would both apply
 * to the one regs->ip, and a packet we freed could be sent.
 */
static void notrace kprobe_post_ipmodify(struct kprobe *kp,
					 struct pt_regs *regs,
					 unsigned long flags)
{
}
NOKPROBE_SYMBOL(kprobe_post_ipmodify);

static int kprobe_arm(struct txqg_probe *p)
{
	int err;

	memset(&p->kp, 0, sizeof(p->kp));
	p->kp.symbol_name = p->symbol;
	p->kp.pre_handler = p->kprobe_pre;
	if (p->skips)
		p->kp.post_handler = kprobe_post_ipmodify;
	err = register_kprobe(&p->kp);
	if (err)
		return err;
	p->addr = (unsigned long)p->kp.addr;
	p->kind = kprobe_ftrace(&p->kp) ? TXQG_KIND_KPROBE_FTRACE :
					  TXQG_KIND_BREAKPOINT;
	return 0;
}

static int probe_failed(struct txqg_probe *p, int err)
{
	p->err = err;
	p->kind = TXQG_KIND_NONE;
	p->state = TXQGUARD_PROBE_FAILED;
	return err;
}

int txqg_probe_prepare(struct txqg_probe *p)
{
	int err;

	if (attach_mode == TXQG_ATTACH_FTRACE)
		err = txqg_ftrace_prepare(p);
	else
		err = kprobe_prepare(p);
	if (err)
		return probe_failed(p, err);
	p->err = 0;
	p->prepared = true;
	return 0;
}

int txqg_probe_arm(struct txqg_probe *p)
{
	int err;

	if (WARN_ON_ONCE(!p->prepared))
		return -EINVAL;
	if (attach_mode == TXQG_ATTACH_FTRACE)
		err = txqg_ftrace_arm(p);
	else
		err = kprobe_arm(p);
	if (err) {
		p->prepared = false;
		return probe_failed(p, err);
	}
	if (attach_mode == TXQG_ATTACH_FTRACE)
		p->kind = txqg_ftrace_kind();
	p->state = TXQGUARD_PROBE_ARMED;
	return 0;
}

/*
 * Undoes whatever of prepare and arm was reached; the state is left to the
 * caller. When this returns no call of @p's function reaches the handler any
 * more, but one under way may still be in it: a caller must wait for tasks
 * that may be in the handler or about to take a return it redirected
 * (synchronize_rcu_tasks()), unless the whole attachment is gone (module
 * exit unregisters the ftrace_ops and kprobes last, which waits for them).
 */
void txqg_probe_disarm(struct txqg_probe *p)
{
	switch (p->kind) {
	case TXQG_KIND_FTRACE_OPS:
	case TXQG_KIND_FTRACE_DIRECT:
		txqg_ftrace_disarm(p);
		break;
	case TXQG_KIND_KPROBE_FTRACE:
	case TXQG_KIND_BREAKPOINT:
		unregister_kprobe(&p->kp);
		break;
	case TXQG_KIND_NONE:
	case TXQG_KIND_LIVEPATCH:	/* undone by the live-patch core */
		break;
	}
	p->kind = TXQG_KIND_NONE;
	p->prepared = false;
}

const char *txqg_probe_kind_name(const struct txqg_probe *p)
{
	return kind_names[p->kind];
}
