// SPDX-License-Identifier: GPL-2.0
/*
 * txqguard: keeps a transmit to an unregistering netdev from spinning in
 * skb_tx_hash(), and keeps Open vSwitch from outputting to such a port.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "txqguard.h"

const char *const txqg_mode_names[__TXQGUARD_MODE_MAX] = TXQGUARD_MODE_NAMES;
const char *const txqg_guard_names[__TXQGUARD_GUARD_MAX] = TXQGUARD_GUARD_NAMES;
const char *const txqg_action_names[__TXQGUARD_ACTION_MAX] = TXQGUARD_ACTION_NAMES;
const char *const txqg_counter_names[__TXQGUARD_CTR_MAX] = TXQGUARD_COUNTER_NAMES;
const char *const txqg_probe_state_names[__TXQGUARD_PROBE_STATE_MAX] =
	TXQGUARD_PROBE_STATE_NAMES;

#ifdef TXQG_LIVEPATCH
MODULE_INFO(livepatch, "Y");

const char *txqg_backend_name(void)
{
	return "livepatch";
}
#else
const char *txqg_backend_name(void)
{
	return txqg_attach_names[txqg_attach_get()];
}
#endif

int txqg_mode = TXQGUARD_MODE_ENFORCE;
bool txqg_selftest;

void txqg_set_mode(int mode)
{
	int old = xchg(&txqg_mode, mode);

	if (old != mode)
		pr_info("mode %s -> %s\n", txqg_mode_names[old], txqg_mode_names[mode]);
}

static int mode_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(txqg_mode_names, val);

	if (i < 0) {
		pr_err("mode must be one of off, detect, enforce\n");
		return -EINVAL;
	}
	txqg_set_mode(i);
	return 0;
}

static int mode_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%s\n", txqg_mode_names[txqg_get_mode()]);
}

static const struct kernel_param_ops mode_ops = {
	.set = mode_set,
	.get = mode_get,
};

module_param_cb(mode, &mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode, "enforce (default), detect (count only) or off; writable at run time");
module_param_named(selftest, txqg_selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "1: expose the deterministic reproducer hooks in debugfs (refused without debugfs)");

static int attach_set(const char *val, const struct kernel_param *kp)
{
	return txqg_attach_select(val);
}

static int attach_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%s\n", txqg_attach_names[txqg_attach_get()]);
}

static const struct kernel_param_ops attach_ops = {
	.set = attach_set,
	.get = attach_get,
};

module_param_cb(attach, &attach_ops, NULL, 0444);
MODULE_PARM_DESC(attach, "auto (default), kprobe or ftrace: how the guards attach; reads back the one chosen");

static char *guards = "txhash,ovs_output";
module_param(guards, charp, 0444);
MODULE_PARM_DESC(guards, "comma-separated guards to arm at load: txhash, ovs_output (default both)");

/* Returns a bit per enum txqguard_guard, or -EINVAL for a name we do not know. */
static int parse_guards(const char *list)
{
	char *copy, *cur, *tok;
	int mask = 0, i;

	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	while ((tok = strsep(&cur, ",")) != NULL) {
		if (!*tok)
			continue;
		i = match_string(txqg_guard_names, __TXQGUARD_GUARD_MAX, tok);
		if (i < 0) {
			pr_err("unknown guard '%s' in guards=: expected txhash, ovs_output\n",
			       tok);
			mask = -EINVAL;
			break;
		}
		mask |= BIT(i);
	}
	kfree(copy);
	if (mask == 0) {
		pr_err("guards= names no guard\n");
		mask = -EINVAL;
	}
	return mask;
}

int txqg_probes_each(txqg_probe_fn fn, void *ctx)
{
	return txqg_txhash_each(fn, ctx) ?: txqg_ovs_each(fn, ctx);
}

#ifdef TXQG_LIVEPATCH
/* An enabled live patch cannot be undone from init: it goes last. */
static int txqg_arm(int mask)
{
	int err = 0;

	if (mask & BIT(TXQGUARD_GUARD_OVS_OUTPUT))
		err = txqg_ovs_arm();
	if (!err && (mask & BIT(TXQGUARD_GUARD_TXHASH)))
		err = txqg_txhash_arm();
	return err;
}
#else
/* The guard that alone prevents the lockup first. */
static int txqg_arm(int mask)
{
	int err = 0;

	if (mask & BIT(TXQGUARD_GUARD_TXHASH))
		err = txqg_txhash_arm();
	if (!err && (mask & BIT(TXQGUARD_GUARD_OVS_OUTPUT)))
		err = txqg_ovs_arm();
	return err;
}
#endif

/*
 * Once no probe can run, nothing new is scheduled: end the report work and
 * the unload hold a lethal packet may have started, reference included.
 */
static void txqg_quiesce(void)
{
	txqg_events_stop();
	txqg_hold_exit();
}

static int __init txqg_init(void)
{
	int mask, err;

	mask = parse_guards(guards);
	if (mask < 0)
		return mask;
	if (txqg_attach_get() == TXQG_ATTACH_AUTO) {
		err = txqg_attach_select("auto");
		if (err)
			return err;
	}
	/* First: even resolving names takes a kprobe, on ftrace on x86. */
	err = txqg_ftrace_switch_hold();
	if (err)
		return err;
	err = txqg_symbols_init();
	if (err)
		goto err_switch;
	if (txqg_attach_get() == TXQG_ATTACH_FTRACE) {
		err = txqg_ftrace_selftest();
		if (err)
			goto err_switch;
	}
	err = txqg_stats_init();
	if (err)
		goto err_switch;
	err = txqg_events_init();
	if (err)
		goto err_stats;
	err = txqg_genl_init();
	if (err)
		goto err_events;
	err = txqg_debugfs_init();
	if (err)
		goto err_genl;
	/* Every check that can refuse the load, before any guard is armed. */
	if (mask & BIT(TXQGUARD_GUARD_TXHASH)) {
		err = txqg_txhash_prepare();
		if (err)
			goto err_txhash;
	}
	if (mask & BIT(TXQGUARD_GUARD_OVS_OUTPUT)) {
		err = txqg_ovs_prepare();
		if (err)
			goto err_ovs;
	}
	err = txqg_arm(mask);
	if (err)
		goto err_ovs;
	/* The txhash guard's own ops is permanent: it holds the switch now. */
	if (txqg_attach_get() == TXQG_ATTACH_FTRACE &&
	    (mask & BIT(TXQGUARD_GUARD_TXHASH)))
		txqg_ftrace_switch_release();
	pr_info("version %s loaded, mode %s, backend %s, guards %s%s\n",
		TXQGUARD_VERSION, txqg_mode_names[txqg_get_mode()],
		txqg_backend_name(), guards,
		txqg_selftest ? ", selftest hooks enabled" : "");
	return 0;

err_ovs:
	txqg_ovs_disarm();
err_txhash:
	txqg_txhash_disarm();
	txqg_quiesce();
	txqg_debugfs_exit();
err_genl:
	txqg_genl_exit();
err_events:
	txqg_events_exit();
err_stats:
	txqg_stats_exit();
err_switch:
	txqg_ftrace_switch_release();
	return err;
}

static void __exit txqg_exit(void)
{
	txqg_ovs_disarm();
	txqg_txhash_disarm();
	txqg_quiesce();
	txqg_debugfs_exit();
	txqg_genl_exit();
	txqg_events_exit();
	txqg_stats_exit();
	txqg_ftrace_switch_release();
	pr_info("unloaded\n");
}

module_init(txqg_init);
module_exit(txqg_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(TXQGUARD_VERSION);
MODULE_DESCRIPTION("Guard against the transmit-queue lockup on unregistering netdevs");
