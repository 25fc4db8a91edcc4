// SPDX-License-Identifier: GPL-2.0
/*
 * ovs_output guard: Open vSwitch must not transmit to a port whose device is
 * not running or has no carrier (upstream 066b86787fa3 + 47e55e4b410f).
 *
 * do_output() is static and may be cloned or inlined by the compiler, so the
 * probe sits on ovs_vport_send(), the global function through which every
 * output of do_output() (whole packets and fragments alike) reaches the port.
 * Such a packet is freed and the function is returned from unrun, which is
 * what upstream's do_output() does for such a port. Only a dying device makes
 * it lethal; any other down port is upstream's silent drop, counted apart.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "ovs_guard.h"
#include "txqguard.h"

#define OVS_MODULE "openvswitch"
#define OVS_TARGET "ovs_vport_send"
/* Exported by openvswitch.ko: pins the module while the probe is armed. */
#define OVS_PIN_SYMBOL "ovs_netdev_link"

static DEFINE_MUTEX(arm_lock);
static bool notifier_registered;
static bool pinned;	/* an OVS found live at load is pinned until armed */

TXQG_DEFINE_PROBE(ovs, TXQG_PROBE_OVS, txqg_ovs_guard, true);

/*
 * The handler reads struct vport's first word as the port's net_device, a
 * layout no header of ours describes. ovs_vport_send() itself must agree:
 * its text loads that word from its first argument and reads
 * net_device::mtu through it. Anything else and the guard stays unarmed.
 */
static int ovs_layout_check(void)
{
	unsigned long fn = txqg_lookup_name(OVS_MODULE ":" OVS_TARGET);
	unsigned long size = fn ? txqg_symbol_size(fn) : 0;

	if (!fn || !size)
		return -ENOENT;
	if (!txqg_arch_reads_field_of_arg0(fn, size,
					   offsetof(struct net_device, mtu)))
		return -EOPNOTSUPP;
	return 0;
}

/* At load an openvswitch found live makes any failure a refused load. */
static const char *failure(void)
{
	return pinned ? OVS_MODULE " is loaded, refusing to load" :
			"the ovs_output guard is not armed";
}

/* Every check that can fail, then nothing armed yet. */
static int ovs_prepare_locked(void)
{
	int err = ovs_layout_check();

	if (err) {
		pr_err("%s: " OVS_TARGET "() of this " OVS_MODULE " does not read struct vport's first word as its net_device (%d)\n",
		       failure(), err);
		ovs.err = err;
		ovs.state = TXQGUARD_PROBE_FAILED;
		return err;
	}
	ovs.symbol = OVS_TARGET;
	err = txqg_probe_prepare(&ovs);
	if (err)
		pr_err("%s: cannot resolve " OVS_TARGET " with attach=%s (%d)\n",
		       failure(), txqg_attach_names[txqg_attach_get()], err);
	return err;
}

static int ovs_arm_locked(void)
{
	int err = txqg_probe_arm(&ovs);

	if (err)
		pr_err("%s: cannot attach to " OVS_TARGET " with attach=%s (%d)%s\n",
		       failure(), txqg_attach_names[txqg_attach_get()], err,
		       err == -EBUSY ? ": another hook that redirects it owns it" : "");
	return err;
}

static void ovs_disarm_locked(enum txqguard_probe_state next)
{
	bool armed = ovs.state == TXQGUARD_PROBE_ARMED;

	txqg_probe_disarm(&ovs);
	/* No task may still be about to run our return stub. */
	if (armed)
		synchronize_rcu_tasks();
	ovs.state = next;
}

/*
 * openvswitch.ko may come after us, go, and come back: arm while it is coming
 * (before any datapath can exist) or, when we registered too late to see
 * that, once it is live; disarm while it goes. The reference taken here keeps
 * a concurrent rmmod from making it go while we arm. A failed arm is
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
	if ((action == MODULE_STATE_COMING || action == MODULE_STATE_LIVE) &&
	    ovs.state == TXQGUARD_PROBE_WAITING && try_module_get(mod)) {
		if (!ovs_prepare_locked() && !ovs_arm_locked())
			pr_info("ovs_output guard armed on %s " OVS_MODULE "\n",
				action == MODULE_STATE_COMING ? "loading" : "live");
		module_put(mod);
	} else if (action == MODULE_STATE_GOING) {
		ovs_disarm_locked(TXQGUARD_PROBE_WAITING);
	}
	mutex_unlock(&arm_lock);
	return NOTIFY_DONE;
}

/*
 * Ahead of the kprobes core's own module notifier (priority 0), so a kprobe
 * is unregistered by us while openvswitch goes rather than killed by the
 * core: 5.10's kill_kprobe() marks the probe gone before its "still enabled?"
 * test, never disarms a kprobe on ftrace, and leaves the address in the
 * core's ftrace_ops. An openvswitch loaded again at that address then trips
 * a WARN in ftrace_module_enable(), the guard stays silent and ftrace turns
 * itself off (tests/scenarios/module-basics.sh reloads it until it would).
 */
static struct notifier_block ovs_nb = {
	.notifier_call = ovs_module_event,
	.priority = 1,
};

/*
 * From here on the notifier arms an openvswitch that is loading; one that is
 * live already is pinned and checked, to be armed by txqg_ovs_arm().
 */
int txqg_ovs_prepare(void)
{
	int err;

	mutex_lock(&arm_lock);
	ovs.state = TXQGUARD_PROBE_WAITING;
	mutex_unlock(&arm_lock);
	/* Whether openvswitch is here yet or not, the ftrace_ops must be able to skip. */
	txqg_ftrace_expect(&ovs);
	err = register_module_notifier(&ovs_nb);
	if (err)
		return err;
	notifier_registered = true;

	mutex_lock(&arm_lock);
	/* Fails for a module still coming: the notifier's, at LIVE at the latest. */
	if (ovs.state == TXQGUARD_PROBE_WAITING && __symbol_get(OVS_PIN_SYMBOL)) {
		pinned = true;
		err = ovs_prepare_locked();
	}
	mutex_unlock(&arm_lock);
	return err;
}

int txqg_ovs_arm(void)
{
	int err = 0;

	mutex_lock(&arm_lock);
	if (pinned) {
		err = ovs_arm_locked();
		__symbol_put(OVS_PIN_SYMBOL);
		pinned = false;
	}
	mutex_unlock(&arm_lock);
	return err;
}

void txqg_ovs_disarm(void)
{
	if (notifier_registered)
		unregister_module_notifier(&ovs_nb);
	notifier_registered = false;
	mutex_lock(&arm_lock);
	ovs_disarm_locked(TXQGUARD_PROBE_DISABLED);
	if (pinned)
		__symbol_put(OVS_PIN_SYMBOL);
	pinned = false;
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
