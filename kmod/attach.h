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

#define TXQG_FTRACE_CB(name, guard)					\
static void notrace name##_ftrace(unsigned long ip,			\
				  unsigned long parent_ip,		\
				  struct ftrace_ops *op,		\
				  struct txqg_fregs *fregs)		\
{									\
	struct pt_regs *regs = txqg_fregs_pt(fregs);			\
									\
	if (regs && guard(regs))					\
		txqg_arch_skip_function(regs);				\
}									\
NOKPROBE_SYMBOL(name##_ftrace)
#define TXQG_FTRACE_INIT(name) .ftrace_cb = name##_ftrace,
#else
#define TXQG_FTRACE_CB(name, guard) struct txqg_no_ftrace_##name
#define TXQG_FTRACE_INIT(name)
#endif

struct txqg_probe {
	const char *symbol;	/* set before txqg_probe_attach() */
	bool skips;		/* its handler may ask for the target to be skipped */
	kprobe_pre_handler_t kprobe_pre;
	struct kprobe kp;
#ifdef TXQG_HAVE_FTRACE_ATTACH
	ftrace_func_t ftrace_cb;
	struct ftrace_ops ops;
#endif
	unsigned long addr;
	bool prepared;		/* target resolved (and ftrace filter set) */
	enum txqg_probe_kind kind;
	enum txqguard_probe_state state;
	int err;
};

void txqg_arch_skip_function(struct pt_regs *regs);

/*
 * Defines the kprobe and ftrace entry points for @guard and a disabled
 * struct txqg_probe @name wired to them. The handler is called directly,
 * not through a pointer, so the compiler can inline it into both. @skips
 * says whether @guard can ever return true.
 */
#define TXQG_DEFINE_PROBE(name, guard, skips_)				\
static int notrace name##_kprobe(struct kprobe *kp, struct pt_regs *regs) \
{									\
	if (!guard(regs))						\
		return 0;						\
	txqg_arch_skip_function(regs);					\
	return 1;	/* regs changed: resume there, no single-step */ \
}									\
NOKPROBE_SYMBOL(name##_kprobe);						\
TXQG_FTRACE_CB(name, guard);						\
static struct txqg_probe name = {					\
	.skips = skips_,						\
	.kprobe_pre = name##_kprobe,					\
	TXQG_FTRACE_INIT(name)						\
	.state = TXQGUARD_PROBE_DISABLED,				\
}

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
