/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a guard is attached to the function it protects. A guard is one
 * handler, bool guard(struct pt_regs *regs), called at the entry of its target
 * with the target's arguments in @regs; it returns true when the target must
 * be returned from without running. The attachment only wires that handler to
 * a kprobe or to an ftrace_ops and performs the skip it asks for.
 */
#ifndef _TXQGUARD_ATTACH_H
#define _TXQGUARD_ATTACH_H

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <uapi/linux/txqguard.h>

enum txqg_attach {
	TXQG_ATTACH_AUTO,
	TXQG_ATTACH_KPROBE,
	TXQG_ATTACH_FTRACE,
	__TXQG_ATTACH_MAX,
};

/* What an armed probe actually became: the debugfs "probes" kind. */
enum txqg_probe_kind {
	TXQG_KIND_NONE,
	TXQG_KIND_FTRACE_OPS,
	TXQG_KIND_FTRACE_DIRECT,
	TXQG_KIND_KPROBE_FTRACE,
	TXQG_KIND_BREAKPOINT,
	TXQG_KIND_LIVEPATCH,
};

#ifdef CONFIG_DYNAMIC_FTRACE_WITH_REGS
#define TXQG_HAVE_FTRACE_ATTACH 1

/*
 * The header probe in Kbuild tells the callback's last argument apart:
 * struct pt_regs up to 5.10, struct ftrace_regs (unwrapped by
 * ftrace_get_regs()) from 5.11 on. A version test would misjudge a vendor
 * kernel that backported either change.
 */
#ifdef TXQG_HAVE_FTRACE_REGS
#define txqg_fregs ftrace_regs
static __always_inline struct pt_regs *txqg_fregs_pt(struct ftrace_regs *fregs)
{
	return ftrace_get_regs(fregs);
}
#else
#define txqg_fregs pt_regs
static __always_inline struct pt_regs *txqg_fregs_pt(struct pt_regs *regs)
{
	return regs;
}
#endif
#endif

/* Which guard a probe is: the ftrace attachment's one callback tells them apart. */
enum txqg_probe_id {
	TXQG_PROBE_TXHASH,
	TXQG_PROBE_OVS,
	__TXQG_PROBE_MAX,
};

struct txqg_probe {
	const char *symbol;	/* set before txqg_probe_prepare() */
	enum txqg_probe_id id;
	bool skips;		/* its handler may ask for the target to be skipped */
	kprobe_pre_handler_t kprobe_pre;
	struct kprobe kp;
	unsigned long addr;
	unsigned long size;	/* of the function at addr, from kallsyms */
	bool prepared;		/* target resolved */
	enum txqg_probe_kind kind;
	enum txqguard_probe_state state;
	int err;
};

void txqg_arch_skip_function(struct pt_regs *regs);

/*
 * Defines the kprobe entry point for @guard and a disabled struct txqg_probe
 * @name wired to it. The handler is called directly, not through a pointer,
 * so the compiler can inline it. @skips says whether @guard can ever return
 * true. The ftrace attachment calls the same guards (attach_ftrace.c).
 */
#define TXQG_DEFINE_PROBE(name, id_, guard, skips_)			\
static int notrace name##_kprobe(struct kprobe *kp, struct pt_regs *regs) \
{									\
	if (!guard(regs))						\
		return 0;						\
	txqg_arch_skip_function(regs);					\
	return 1;	/* regs changed: resume there, no single-step */ \
}									\
NOKPROBE_SYMBOL(name##_kprobe);						\
static struct txqg_probe name = {					\
	.id = id_,							\
	.skips = skips_,						\
	.kprobe_pre = name##_kprobe,					\
	.state = TXQGUARD_PROBE_DISABLED,				\
}

/* attach_ftrace.c: one ftrace_ops for every guard attached through ftrace. */
/*
 * At load, before anything is armed: proves on the running kernel what the
 * ftrace attachment relies on where that is not an interface (arm64 5.10:
 * arguments and the skip without SAVE_REGS); prints one line if not.
 */
int txqg_ftrace_selftest(void);
/* Before the first arm: @p may be armed one day (sets what the ops claims). */
void txqg_ftrace_expect(struct txqg_probe *p);
int txqg_ftrace_prepare(struct txqg_probe *p);
int txqg_ftrace_arm(struct txqg_probe *p);
void txqg_ftrace_disarm(struct txqg_probe *p);
/* What an armed probe is: TXQG_KIND_FTRACE_OPS or TXQG_KIND_FTRACE_DIRECT. */
enum txqg_probe_kind txqg_ftrace_kind(void);

/*
 * ftrace_switch.c: first at load, refuses when kernel.ftrace_enabled is 0
 * and the attachment rides ftrace; keeps the sysctl from turning it off
 * until released (once permanent hooks of our own hold it, or at unload).
 */
int txqg_ftrace_switch_hold(void);
void txqg_ftrace_switch_release(void);

extern const char *const txqg_attach_names[__TXQG_ATTACH_MAX];
int txqg_attach_select(const char *name);
enum txqg_attach txqg_attach_get(void);
/*
 * prepare resolves @p->symbol (and sets its ftrace filter): every check that
 * can fail before anything is armed. arm registers the prepared probe.
 * disarm undoes whichever of the two was reached. Both set @p->state to
 * failed on an error.
 */
int txqg_probe_prepare(struct txqg_probe *p);
int txqg_probe_arm(struct txqg_probe *p);
void txqg_probe_disarm(struct txqg_probe *p);
const char *txqg_probe_kind_name(const struct txqg_probe *p);

#endif /* _TXQGUARD_ATTACH_H */
