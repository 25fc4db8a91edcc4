// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.ftrace_enabled=0 turns every ftrace call site into a nop, and every
 * guard that rides one with it: our ftrace_ops, our direct calls, a kprobe
 * on ftrace. Nothing would say the guard had stopped. Worse, hooks added and
 * removed while the switch is off leave ftrace's records out of step with
 * the text (5.10 skips the update): the next user to unregister trips
 * ftrace_bug(), which turns ftrace off for good. So the check comes first,
 * before even the kprobe that resolves kallsyms_lookup_name.
 *
 * An ops flagged PERMANENT makes that sysctl fail with -EBUSY while it is
 * registered, and is itself refused while the switch is off. The pin is one
 * of ours on a function of ours that never runs: it holds the switch from
 * the start of the load. Our ftrace_ops, the kernel's direct-call ops and its
 * live-patch ops carry the flag, so once the txhash guard is armed through
 * one of them the pin can go (on arm64 5.10 a second ops would send every
 * guarded call through ftrace's list walk); the kprobes core's ops does not,
 * so for kprobes on ftrace the pin stays until unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "txqguard.h"

#ifdef TXQG_HAVE_FTRACE_ATTACH
/* A kprobe on a function entry rides ftrace where the kernel can. */
static bool attach_rides_ftrace(void)
{
	return txqg_attach_get() == TXQG_ATTACH_FTRACE ||
	       IS_ENABLED(CONFIG_KPROBES_ON_FTRACE);
}
#else
static bool attach_rides_ftrace(void)
{
	return false;
}
#endif

#if defined(TXQG_HAVE_FTRACE_ATTACH) && defined(TXQG_HAVE_FTRACE_PERMANENT)
#ifdef TXQG_HAVE_FTRACE_RECURSION_SAFE
#define PIN_FLAGS (FTRACE_OPS_FL_PERMANENT | FTRACE_OPS_FL_RECURSION_SAFE)
#else
#define PIN_FLAGS FTRACE_OPS_FL_PERMANENT
#endif

static struct ftrace_ops pin;
static bool pinned;

/* The pin's only call site: traceable, never called. */
static noinline __used void txqg_ftrace_pin_target(void)
{
	barrier();
}

static void notrace pin_func(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct txqg_fregs *fregs)
{
}
NOKPROBE_SYMBOL(pin_func);

static void pin_clear_filter(void)
{
	ftrace_set_filter(&pin, NULL, 0, 1);
}

int txqg_ftrace_switch_hold(void)
{
	static const char name[] = "txqg_ftrace_pin_target";
	int err;

	if (!attach_rides_ftrace())
		return 0;
	pin.func = (ftrace_func_t)pin_func;
	pin.flags = PIN_FLAGS;
	/* An ops without a filter would trace every function: filter first. */
	err = ftrace_set_filter(&pin, (unsigned char *)name, strlen(name), 1);
	if (err) {
		pr_err("cannot filter the pin that keeps kernel.ftrace_enabled on (%d); refusing to load\n",
		       err);
		pin_clear_filter();
		return err;
	}
	err = register_ftrace_function(&pin);
	if (err) {
		if (err == -EBUSY)
			pr_err("kernel.ftrace_enabled is 0, so guards attached with attach=%s would never run; refusing to load (set it to 1 first)\n",
			       txqg_attach_names[txqg_attach_get()]);
		else
			pr_err("cannot keep kernel.ftrace_enabled on (%d); refusing to load\n",
			       err);
		pin_clear_filter();
		return err;
	}
	pinned = true;
	return 0;
}

void txqg_ftrace_switch_release(void)
{
	if (!pinned)
		return;
	unregister_ftrace_function(&pin);
	pin_clear_filter();
	pinned = false;
}
#else
/* No way to keep the switch on: refuse rather than guard until it flips. */
int txqg_ftrace_switch_hold(void)
{
	if (!attach_rides_ftrace())
		return 0;
	pr_err("this kernel cannot keep kernel.ftrace_enabled on (no FTRACE_OPS_FL_PERMANENT), so guards riding ftrace could stop unseen; refusing to load\n");
	return -EOPNOTSUPP;
}

void txqg_ftrace_switch_release(void)
{
}
#endif
