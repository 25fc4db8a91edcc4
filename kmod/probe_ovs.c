// SPDX-License-Identifier: GPL-2.0
/*
 * ovs_output guard: Open vSwitch must not transmit to a port whose device is
 * not running or has no carrier (upstream 066b86787fa3 + 47e55e4b410f).
 *
 * do_output() is static and may be cloned or inlined by the compiler, so the
 * probe sits on ovs_vport_send(), the global function through which every
 * output of do_output() (whole packets and fragments alike) reaches the port.
 * A hazardous packet is freed and the function is returned from unrun, which
 * is what upstream's do_output() does for such a port.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "guard.h"
#include "txqguard.h"

#define OVS_MODULE "openvswitch"
#define OVS_TARGET "ovs_vport_send"
/* Exported by openvswitch.ko: pins the module while the probe is armed. */
#define OVS_PIN_SYMBOL "ovs_netdev_link"

static DEFINE_MUTEX(arm_lock);
static bool notifier_registered;

/* ovs_vport_send(struct vport *vport, struct sk_buff *skb, u8 mac_proto) */
static __always_inline bool ovs_guard(struct pt_regs *regs)
{
	void *vport = (void *)regs_get_kernel_argument(regs, 0);
	struct sk_buff *skb = (void *)regs_get_kernel_argument(regs, 1);
	struct net_device *dev;
	int mode = txqg_get_mode();

	if (mode == TXQGUARD_MODE_OFF)
		return false;
	txqg_count(TXQGUARD_CTR_OVS_OUTPUT_CHECKED);
	/* struct vport has begun with its net_device pointer since 3.x. */
	dev = READ_ONCE(*(struct net_device **)vport);
	if (likely(!dev || !txqg_ovs_output_hazard(dev)))
		return false;

	txqg_count(TXQGUARD_CTR_OVS_OUTPUT_HAZARDS);
	if (mode != TXQGUARD_MODE_ENFORCE) {
		txqg_hazard(TXQGUARD_GUARD_OVS_OUTPUT, TXQGUARD_ACTION_DETECTED, dev);
		return false;
	}
	txqg_hazard(TXQGUARD_GUARD_OVS_OUTPUT, TXQGUARD_ACTION_DROPPED, dev);
	/* Any context: a breakpoint probe runs with interrupts off. */
	dev_kfree_skb_any(skb);
	txqg_count(TXQGUARD_CTR_OVS_OUTPUT_DROPPED);
	return true;
}

TXQG_DEFINE_PROBE(ovs, ovs_guard, true);

static int ovs_arm_locked(void)
{
	int err;

	ovs.symbol = OVS_TARGET;
	err = txqg_probe_attach(&ovs);
	if (err)
		pr_err("cannot arm the ovs_output guard on %s with attach=%s (%d)\n",
		       OVS_TARGET, txqg_attach_names[txqg_attach_get()], err);
	return err;
}

static void ovs_disarm_locked(enum txqguard_probe_state next)
{
	if (ovs.state == TXQGUARD_PROBE_ARMED) {
		txqg_probe_detach(&ovs);
		/* No task may still be about to run our return stub. */
		synchronize_rcu_tasks();
	}
	ovs.state = next;
}

/*
 * openvswitch.ko may come after us, go, and come back: arm while it is coming
 * (before any datapath can exist) and disarm while it goes. A failed arm is
 * reported, not turned into a failed openvswitch load: that would take the
 * host's switching down with it.
 */
static int ovs_module_event(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, OVS_MODULE))
		return NOTIFY_DONE;
	mutex_lock(&arm_lock);
	if (action == MODULE_STATE_COMING && ovs.state != TXQGUARD_PROBE_ARMED) {
		if (!ovs_arm_locked())
			pr_info("ovs_output guard armed on newly loaded " OVS_MODULE "\n");
	} else if (action == MODULE_STATE_GOING) {
		ovs_disarm_locked(TXQGUARD_PROBE_WAITING);
	}
	mutex_unlock(&arm_lock);
	return NOTIFY_DONE;
}

static struct notifier_block ovs_nb = {
	.notifier_call = ovs_module_event,
};

int txqg_ovs_arm(void)
{
	int err;

	mutex_lock(&arm_lock);
	ovs.state = TXQGUARD_PROBE_WAITING;
	mutex_unlock(&arm_lock);
	err = register_module_notifier(&ovs_nb);
	if (err)
		goto err_out;
	notifier_registered = true;

	mutex_lock(&arm_lock);
	/* A live openvswitch stays pinned while we arm; a coming one is the notifier's. */
	if (ovs.state != TXQGUARD_PROBE_ARMED && __symbol_get(OVS_PIN_SYMBOL)) {
		err = ovs_arm_locked();
		__symbol_put(OVS_PIN_SYMBOL);
	}
	mutex_unlock(&arm_lock);
	if (err) {
		pr_err(OVS_MODULE " is loaded but the ovs_output guard cannot attach; refusing to load\n");
		goto err_notifier;
	}
	return 0;

err_notifier:
	unregister_module_notifier(&ovs_nb);
	notifier_registered = false;
err_out:
	ovs.state = TXQGUARD_PROBE_DISABLED;
	return err;
}

void txqg_ovs_disarm(void)
{
	if (notifier_registered)
		unregister_module_notifier(&ovs_nb);
	notifier_registered = false;
	mutex_lock(&arm_lock);
	ovs_disarm_locked(TXQGUARD_PROBE_DISABLED);
	mutex_unlock(&arm_lock);
}

int txqg_ovs_each(txqg_probe_fn fn, void *ctx)
{
	int err;

	mutex_lock(&arm_lock);
	err = fn(ctx, &ovs, TXQGUARD_GUARD_OVS_OUTPUT);
	mutex_unlock(&arm_lock);
	return err;
}
