// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace attachment: the guards' handlers called from the patched
 * "call __fentry__" (x86_64) or "bl ftrace_caller" (arm64) at the entry of
 * each guarded function, the cheapest way each kernel offers a module.
 *
 * x86_64 5.10: a direct call (register_ftrace_direct()) of a small trampoline
 * of ours (tramp_x86.S) per guard, which saves only the argument registers.
 * The kernel's direct calls claim IPMODIFY: it refuses a live patch or other
 * redirecting hook on a guarded function while we hold it, and refuses us
 * while one does.
 *
 * Elsewhere: one ftrace_ops of our own for every guard. Its filter holds the
 * guarded functions and its callback tells them apart by the call site's
 * address. One ops, not one per guard: where the kernel has no per-ops
 * trampolines (arm64 5.10) every other ops adds a walk of ftrace's list of
 * ops and a lookup in each one's filter hash to every traced call. It claims
 * IPMODIFY when the ovs_output guard, which returns from its function unrun,
 * is wanted, with the same effect as above.
 *
 * Both can prove on the running kernel, before any guard relies on it, that a
 * handler reads the function's arguments and can skip it
 * (txqg_ftrace_selftest()), where that rests on the arch's entry code rather
 * than on an interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "ovs_guard.h"
#include "txhash.h"
#include "txqguard.h"

#ifdef TXQG_HAVE_FTRACE_ATTACH
/* TXQG_FTRACE_DIRECT: Kbuild says when the kernel takes our direct-call trampolines. */

/*
 * arm64 5.10's ftrace_caller saves x0-x8, the frame pointer, the call site's
 * lr and the pc after it in a pt_regs it passes to every callback, and
 * returns through that pc (arch/arm64/kernel/entry-ftrace.S): SAVE_REGS,
 * which adds x10-x29, buys the guards nothing but cost. x86_64 5.10 passes no
 * registers without SAVE_REGS; ftrace_regs kernels unwrap them only with it.
 */
#if defined(CONFIG_ARM64) && !defined(TXQG_HAVE_FTRACE_REGS)
#define TXQG_FTRACE_ARGS_ONLY 1
#define FOPS_REGS 0
#else
#define FOPS_REGS FTRACE_OPS_FL_SAVE_REGS
#endif

/* Where the arch's entry code, not an interface, carries what a guard reads. */
#if defined(TXQG_FTRACE_DIRECT) || defined(TXQG_FTRACE_ARGS_ONLY)
#define TXQG_FTRACE_SELFTEST 1
#endif

static DEFINE_MUTEX(fops_lock);
static unsigned long selftest_seen[2];
static bool selftest_ran, selftest_rest_kept;

/*
 * The self-test's arguments: a first one that asks the handler to let the
 * call through, and the four that only the function reads.
 */
#define SELFTEST_PASS	0x7478716770617373UL
#define SELFTEST_C	0x7478716761726733UL
#define SELFTEST_D	0x7478716761726734UL
#define SELFTEST_E	0x7478716761726735UL
#define SELFTEST_F	0x7478716761726736UL

/*
 * Called through a hidden pointer: never cloned, inlined or folded. Six
 * arguments, all that x86_64 and arm64 pass in registers: a handler's way in
 * must give back every one of them to a function it lets run, not only the
 * ones today's guarded functions take (a vendor's backport may add one).
 */
static noinline int txqg_ftrace_selftest_target(unsigned long a, unsigned long b,
						unsigned long c, unsigned long d,
						unsigned long e, unsigned long f)
{
	WRITE_ONCE(selftest_ran, true);
	WRITE_ONCE(selftest_rest_kept, c == SELFTEST_C && d == SELFTEST_D &&
				       e == SELFTEST_E && f == SELFTEST_F);
	return a == b;
}

/* The self-test's handler: what it read, and skip unless asked not to. */
static __always_inline bool selftest_hit(unsigned long a, unsigned long b)
{
	if (a == SELFTEST_PASS)
		return false;
	selftest_seen[0] = a;
	selftest_seen[1] = b;
	return true;
}

#ifdef TXQG_FTRACE_DIRECT
void txqg_tramp_txhash(void);
void txqg_tramp_ovs(void);
void txqg_tramp_selftest(void);
bool txqg_direct_txhash(struct net_device *dev, struct sk_buff *skb);
bool txqg_direct_ovs(void *vport, struct sk_buff *skb);
bool txqg_direct_selftest(unsigned long a, unsigned long b);

/* The trampolines' handlers: called with the guarded function's arguments. */
bool notrace txqg_direct_txhash(struct net_device *dev, struct sk_buff *skb)
{
	txqg_txhash_step(dev, skb);
	return false;
}
NOKPROBE_SYMBOL(txqg_direct_txhash);

bool notrace txqg_direct_ovs(void *vport, struct sk_buff *skb)
{
	return txqg_ovs_check(vport, skb);
}
NOKPROBE_SYMBOL(txqg_direct_ovs);

bool notrace txqg_direct_selftest(unsigned long a, unsigned long b)
{
	/*
	 * What any handler's compiled code may do to the argument registers
	 * it does not take: the trampoline, not the handler, must keep them.
	 */
	asm volatile("movq $-1, %%rcx\n\tmovq $-1, %%r8\n\tmovq $-1, %%r9"
		     : : : "rcx", "r8", "r9");
	return selftest_hit(a, b);
}
NOKPROBE_SYMBOL(txqg_direct_selftest);

static unsigned long tramp(enum txqg_probe_id id)
{
	return id == TXQG_PROBE_TXHASH ? (unsigned long)txqg_tramp_txhash :
					 (unsigned long)txqg_tramp_ovs;
}

enum txqg_probe_kind txqg_ftrace_kind(void)
{
	return TXQG_KIND_FTRACE_DIRECT;
}

static int selftest_attach(unsigned long target)
{
	return register_ftrace_direct(target, (unsigned long)txqg_tramp_selftest);
}

static void selftest_detach(unsigned long target)
{
	unregister_ftrace_direct(target, (unsigned long)txqg_tramp_selftest);
}

void txqg_ftrace_expect(struct txqg_probe *p)
{
}

int txqg_ftrace_arm(struct txqg_probe *p)
{
	return register_ftrace_direct(p->addr, tramp(p->id));
}

/* Unregistering waits until no task can be in the trampoline (RCU tasks). */
void txqg_ftrace_disarm(struct txqg_probe *p)
{
	unregister_ftrace_direct(p->addr, tramp(p->id));
}
#else /* !TXQG_FTRACE_DIRECT: one ftrace_ops */
/*
 * RECURSION_SAFE (5.10; from 5.11 the default unless FTRACE_OPS_FL_RECURSION
 * is asked for) lets the call site call us directly instead of through
 * ftrace's recursion guard. The handlers only re-enter their target through a
 * nested transmit (printk to netconsole), which is bounded, and every target
 * runs with bottom halves off, so preemption is off without ftrace's help.
 */
#ifdef TXQG_HAVE_FTRACE_RECURSION_SAFE
#define FOPS_RECURSION FTRACE_OPS_FL_RECURSION_SAFE
#else
#define FOPS_RECURSION 0
#endif
/* kernel.ftrace_enabled=0 is refused while we are registered (ftrace_switch.c). */
#ifdef TXQG_HAVE_FTRACE_PERMANENT
#define FOPS_PERMANENT FTRACE_OPS_FL_PERMANENT
#else
#define FOPS_PERMANENT 0
#endif
#define FOPS_FLAGS (FOPS_REGS | FOPS_RECURSION | FOPS_PERMANENT)

/* The self-test's function is a third member while it runs. */
#define RANGE_SELFTEST __TXQG_PROBE_MAX

struct fops_range {
	unsigned long start;
	unsigned long size;
};

static struct fops_range ranges[__TXQG_PROBE_MAX + 1];
static unsigned int members;	/* functions in the registered ops' filter */
static bool skips;		/* a member may be returned from unrun */
static struct ftrace_ops fops;

static __always_inline bool fops_member(unsigned long ip, int r)
{
	return ip - READ_ONCE(ranges[r].start) < READ_ONCE(ranges[r].size);
}

static void notrace fops_func(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct txqg_fregs *fregs)
{
	struct pt_regs *regs = txqg_fregs_pt(fregs);

	if (unlikely(!regs))
		return;
	if (fops_member(ip, TXQG_PROBE_TXHASH))
		txqg_txhash_guard(regs);
	else if (fops_member(ip, TXQG_PROBE_OVS) ? txqg_ovs_guard(regs) :
		 fops_member(ip, RANGE_SELFTEST) &&
		 selftest_hit(regs_get_kernel_argument(regs, 0),
			      regs_get_kernel_argument(regs, 1)))
		txqg_arch_skip_function(regs);
}
NOKPROBE_SYMBOL(fops_func);

enum txqg_probe_kind txqg_ftrace_kind(void)
{
	return TXQG_KIND_FTRACE_OPS;
}

/* "%s" adds @sym to the filter, "!%s" takes it out; reset starts afresh. */
static int set_filter(const char *fmt, const char *sym, int reset)
{
	char buf[KSYM_NAME_LEN + 2];

	if (snprintf(buf, sizeof(buf), fmt, sym) >= sizeof(buf))
		return -ENAMETOOLONG;
	return ftrace_set_filter(&fops, buf, strlen(buf), reset);
}

/*
 * ftrace_free_filter() is not exported before 6.x; resetting to no filter
 * frees the same hash. Only while the ops is not registered: registered, an
 * empty filter would mean every function.
 */
static void clear_filter(void)
{
	ftrace_set_filter(&fops, NULL, 0, 1);
}

static int add_first(const char *sym)
{
	int err;

	/* Afresh, as ftrace has not seen it: it keeps state in a registered ops. */
	memset(&fops, 0, sizeof(fops));
	fops.func = (ftrace_func_t)fops_func;
	fops.flags = FOPS_FLAGS | (skips ? FTRACE_OPS_FL_IPMODIFY : 0);
	err = set_filter("%s", sym, 1) ?: register_ftrace_function(&fops);
	if (err)
		clear_filter();
	return err;
}

/*
 * Our ops lives in module memory, so ftrace treats it as dynamic:
 * unregistering waits until no CPU (and, on preemptible kernels, no task) can
 * still be in the callback.
 */
static void remove_last(void)
{
	unregister_ftrace_function(&fops);
	clear_filter();
}

static int selftest_attach(unsigned long target)
{
	ranges[RANGE_SELFTEST].start = target;
	ranges[RANGE_SELFTEST].size = txqg_symbol_size(target);
	/* Ours alone: the other form, which has one too, cannot be loaded beside us. */
	return add_first("txqg_ftrace_selftest_target");
}

static void selftest_detach(unsigned long target)
{
	remove_last();
	WRITE_ONCE(ranges[RANGE_SELFTEST].size, 0);
}

void txqg_ftrace_expect(struct txqg_probe *p)
{
	mutex_lock(&fops_lock);
	if (p->skips)
		skips = true;
	mutex_unlock(&fops_lock);
}

int txqg_ftrace_arm(struct txqg_probe *p)
{
	int err;

	mutex_lock(&fops_lock);
	/* The callback may run as soon as the call site is patched. */
	WRITE_ONCE(ranges[p->id].start, p->addr);
	WRITE_ONCE(ranges[p->id].size, p->size);
	err = members ? set_filter("%s", p->symbol, 0) : add_first(p->symbol);
	if (!err)
		members++;
	mutex_unlock(&fops_lock);
	return err;
}

/*
 * But for the last member (unregistering waits for the callback), only as far
 * as ftrace's filter update goes: a call under way may still be in it.
 */
void txqg_ftrace_disarm(struct txqg_probe *p)
{
	mutex_lock(&fops_lock);
	if (members == 1)
		remove_last();
	else
		set_filter("!%s", p->symbol, 0);
	members--;
	mutex_unlock(&fops_lock);
}
#endif /* TXQG_FTRACE_DIRECT */

/*
 * Through our own function, before any guard: the handler reads the
 * arguments and skips the function, then lets a call through with all six
 * arguments intact.
 */
int txqg_ftrace_selftest(void)
{
	int (*target)(unsigned long, unsigned long, unsigned long, unsigned long,
		      unsigned long, unsigned long) = txqg_ftrace_selftest_target;
	const unsigned long a = 0x7478716761726731UL, b = 0x7478716761726732UL;
	unsigned long addr = (unsigned long)txqg_ftrace_selftest_target;
	bool skipped;
	int err;

	if (!IS_ENABLED(TXQG_FTRACE_SELFTEST))
		return 0;
	mutex_lock(&fops_lock);
	err = selftest_attach(addr);
	if (err) {
		pr_err("cannot attach to our own function for the ftrace self-test (%d); refusing to load\n",
		       err);
		goto out;
	}
	/* Through a pointer the compiler cannot see through: a real call. */
	OPTIMIZER_HIDE_VAR(target);
	target(a, b, SELFTEST_C, SELFTEST_D, SELFTEST_E, SELFTEST_F);
	skipped = !READ_ONCE(selftest_ran);
	target(SELFTEST_PASS, b, SELFTEST_C, SELFTEST_D, SELFTEST_E, SELFTEST_F);
	selftest_detach(addr);
	if (selftest_seen[0] != a || selftest_seen[1] != b || !skipped ||
	    !selftest_ran || !selftest_rest_kept) {
		pr_err("ftrace self-test failed (arguments %s, skip %s, a call let through %s); refusing to load (attach=kprobe guards this kernel)\n",
		       selftest_seen[0] == a && selftest_seen[1] == b ? "read" : "not read",
		       skipped ? "honoured" : "not honoured",
		       !selftest_ran ? "did not run" :
		       selftest_rest_kept ? "kept its arguments" : "lost an argument");
		err = -EOPNOTSUPP;
	}
out:
	mutex_unlock(&fops_lock);
	return err;
}

/* Resolves @p and checks that ftrace can trace it; arms nothing. */
int txqg_ftrace_prepare(struct txqg_probe *p)
{
	static struct ftrace_ops scratch;
	char name[KSYM_NAME_LEN];
	int err;

	if (strscpy(name, p->symbol, sizeof(name)) < 0)
		return -ENAMETOOLONG;
	p->addr = txqg_lookup_name(p->symbol);
	p->size = p->addr ? txqg_symbol_size(p->addr) : 0;
	if (!p->size)
		return -ENOENT;
	mutex_lock(&fops_lock);
	/* -EINVAL when nothing traceable bears the name, loaded modules included. */
	err = ftrace_set_filter(&scratch, name, strlen(name), 1);
	ftrace_set_filter(&scratch, NULL, 0, 1);
	mutex_unlock(&fops_lock);
	return err;
}
#else /* !TXQG_HAVE_FTRACE_ATTACH */
int txqg_ftrace_selftest(void)
{
	return 0;
}

void txqg_ftrace_expect(struct txqg_probe *p)
{
}

int txqg_ftrace_prepare(struct txqg_probe *p)
{
	return -EOPNOTSUPP;
}

int txqg_ftrace_arm(struct txqg_probe *p)
{
	return -EOPNOTSUPP;
}

void txqg_ftrace_disarm(struct txqg_probe *p)
{
}

enum txqg_probe_kind txqg_ftrace_kind(void)
{
	return TXQG_KIND_NONE;
}
#endif
