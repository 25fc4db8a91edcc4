// SPDX-License-Identifier: GPL-2.0
/*
 * Unload hold: while lethal packets keep arriving, the module keeps a
 * reference on itself, so rmmod fails with EBUSY instead of re-exposing the
 * host in the middle of a window. A lethal packet means OVS still outputs to
 * a dying port and will go on doing so until its vport is removed; once none
 * has been seen for unload_hold_s seconds the reference is dropped again.
 * An admin-down port never opens the hold: that is no window.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

#include "txqguard.h"

#define HOLD_MAX_S 3600

enum {
	HOLD_HELD,	/* we hold a module reference */
	HOLD_ANNOUNCE,	/* the report work is to say that the hold opened */
};

static unsigned int hold_s = 10;
static unsigned long last_lethal;	/* jiffies */
static unsigned long hold_flags;

static void hold_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(hold_work, hold_work_fn);

static unsigned long hold_remaining(void)
{
	unsigned long until = READ_ONCE(last_lethal) +
			      READ_ONCE(hold_s) * HZ;

	return time_before(jiffies, until) ? until - jiffies : 0;
}

static void hold_work_fn(struct work_struct *work)
{
	unsigned long left = hold_remaining();

	if (left) {
		schedule_delayed_work(&hold_work, left);
		return;
	}
	clear_bit(HOLD_HELD, &hold_flags);
	/* Pairs with txqg_hold_note(): it sees the bit clear or we see its time. */
	smp_mb__after_atomic();
	/* A lethal packet that saw the bit still set did not take a reference. */
	left = hold_remaining();
	if (left && !test_and_set_bit(HOLD_HELD, &hold_flags)) {
		schedule_delayed_work(&hold_work, left);
		return;
	}
	pr_info("no lethal packet for %u s: unloading is allowed again\n",
		READ_ONCE(hold_s));
	module_put(THIS_MODULE);
}

/* Packet path (events.c, rate-limited per CPU): any context but NMI, no lock. */
void txqg_hold_note(unsigned long now)
{
	WRITE_ONCE(last_lethal, now);
	/* Pairs with hold_work_fn(): store the time before testing the bit. */
	smp_mb();
	if (!READ_ONCE(hold_s) || test_bit(HOLD_HELD, &hold_flags) ||
	    test_and_set_bit(HOLD_HELD, &hold_flags))
		return;
	/* Fails once rmmod has begun: the exit path then disarms us. */
	if (!try_module_get(THIS_MODULE)) {
		clear_bit(HOLD_HELD, &hold_flags);
		return;
	}
	set_bit(HOLD_ANNOUNCE, &hold_flags);
	schedule_delayed_work(&hold_work, hold_remaining());
}

/* From the report work: the log line the packet path must not print. */
void txqg_hold_announce(void)
{
	if (test_and_clear_bit(HOLD_ANNOUNCE, &hold_flags))
		pr_info("lethal packets: unloading is refused until none has been seen for %u s\n",
			READ_ONCE(hold_s));
}

unsigned int txqg_hold_remaining_ms(void)
{
	if (!test_bit(HOLD_HELD, &hold_flags))
		return 0;
	return max(1U, jiffies_to_msecs(hold_remaining()));
}

/*
 * Exit and every failed init: called once no probe can run any more. Whatever
 * the hold still has, the work and the module reference, is undone here; a
 * failed init is freed whatever its reference count says.
 */
void txqg_hold_exit(void)
{
	cancel_delayed_work_sync(&hold_work);
	if (test_and_clear_bit(HOLD_HELD, &hold_flags)) {
		pr_info("dropping the unload hold a lethal packet opened\n");
		module_put(THIS_MODULE);
	}
	clear_bit(HOLD_ANNOUNCE, &hold_flags);
}

static int hold_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err = kstrtouint(val, 0, &v);

	if (err || v > HOLD_MAX_S) {
		pr_err("unload_hold_s must be 0..%u seconds\n", HOLD_MAX_S);
		return -EINVAL;
	}
	WRITE_ONCE(hold_s, v);
	/* A shorter hold takes effect now, not when the longer one ends. */
	if (test_bit(HOLD_HELD, &hold_flags))
		mod_delayed_work(system_wq, &hold_work, 0);
	return 0;
}

static const struct kernel_param_ops hold_ops = {
	.set = hold_set,
	.get = param_get_uint,
};

module_param_cb(unload_hold_s, &hold_ops, &hold_s, 0644);
MODULE_PARM_DESC(unload_hold_s, "refuse unloading until no lethal packet was seen for this many seconds (0..3600, default 10, 0: never refuse)");
