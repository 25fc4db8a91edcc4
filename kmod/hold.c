// SPDX-License-Identifier: GPL-2.0
/*
 * Unload hold: while hazards keep arriving, the module keeps a reference on
 * itself, so rmmod fails with EBUSY instead of re-exposing the host in the
 * middle of a window. A hazard means OVS still outputs to a dead port and
 * will go on doing so until its vport is removed; once none has been seen for
 * unload_hold_s seconds the reference is dropped again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

#include "txqguard.h"

#define HOLD_MAX_S 3600

static unsigned int hold_s = 10;
static unsigned long last_hazard;	/* jiffies */
static unsigned long held;		/* bit 0: we hold a module reference */

static void hold_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(hold_work, hold_work_fn);

static unsigned long hold_remaining(void)
{
	unsigned long until = READ_ONCE(last_hazard) +
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
	clear_bit(0, &held);
	/* Pairs with txqg_hold_note(): it sees the bit clear or we see its time. */
	smp_mb__after_atomic();
	/* A hazard that saw the bit still set did not take a reference. */
	left = hold_remaining();
	if (left && !test_and_set_bit(0, &held)) {
		schedule_delayed_work(&hold_work, left);
		return;
	}
	pr_info("no hazard for %u s: unloading is allowed again\n", READ_ONCE(hold_s));
	module_put(THIS_MODULE);
}

/* Hazard path: any context but NMI. */
void txqg_hold_note(void)
{
	WRITE_ONCE(last_hazard, jiffies);
	/* Pairs with hold_work_fn(): store the time before testing the bit. */
	smp_mb();
	if (!READ_ONCE(hold_s) || test_bit(0, &held) || test_and_set_bit(0, &held))
		return;
	/* Fails once rmmod has begun: the exit path then disarms us. */
	if (!try_module_get(THIS_MODULE)) {
		clear_bit(0, &held);
		return;
	}
	pr_info("hazard window open: unloading is refused until none has been seen for %u s\n",
		READ_ONCE(hold_s));
	schedule_delayed_work(&hold_work, hold_remaining());
}

/* Runs after the last reference is gone: only a finishing work can be left. */
void txqg_hold_exit(void)
{
	cancel_delayed_work_sync(&hold_work);
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
	if (test_bit(0, &held))
		mod_delayed_work(system_wq, &hold_work, 0);
	return 0;
}

static const struct kernel_param_ops hold_ops = {
	.set = hold_set,
	.get = param_get_uint,
};

module_param_cb(unload_hold_s, &hold_ops, &hold_s, 0644);
MODULE_PARM_DESC(unload_hold_s, "refuse unloading until no hazard was seen for this many seconds (0..3600, default 10, 0: never refuse)");
