// SPDX-License-Identifier: GPL-2.0
/*
 * The live-patch form of the txhash guard: netdev_core_pick_tx() replaced by
 * a copy that takes the guard's step before the pick. Built only into
 * txqguard_lp.ko, from the same sources as txqguard.ko otherwise.
 *
 * Why a module of its own: MODULE_INFO(livepatch) is fixed at build time. The
 * loader taints K when it sees it and klp_enable_patch() refuses a module
 * without it, so one module cannot be a live patch on some hosts and a plain
 * probe module on others without claiming a live patch it never applied.
 *
 * Only the pick's caller is replaced: netdev_pick_tx() and skb_tx_hash() are
 * left to the kernel, and the copy calls netdev_pick_tx() as the original
 * does. The ovs_output guard stays a probe (probe_ovs.c): replacing
 * ovs_vport_send() would mean re-implementing it against openvswitch's
 * private struct vport, vport_ops and flow layouts, while the probe reads
 * only vport->dev.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/netdevice.h>
#include <linux/utsname.h>

#include "txhash.h"

#define LP_TARGET "netdev_core_pick_tx"
#define LP_CALLER "__dev_queue_xmit"

/*
 * The kernels whose netdev_core_pick_tx() source was read against
 * lp_core_pick_tx() and found identical, with the size their build gave it.
 * A kernel not listed, or whose function has another size (a backport, a
 * different compiler or config), is refused: the kprobe form guards it
 * without replacing anything.
 */
static const struct {
	const char *release;
	unsigned long size;
} verified[] = {
	{ "5.10.0-32-amd64", 192 },	/* 5.10.223, unfixed */
	{ "5.10.0-44-amd64", 192 },	/* 5.10.257, fixed upstream */
	{ "6.1.0-56-amd64", 192 },	/* 6.1.192, fixed upstream */
};

/* net/core/dev.c netdev_core_pick_tx(), 5.10.223 to 5.10.262 and 6.1.192. */
static struct netdev_queue *lp_core_pick_tx(struct net_device *dev,
					    struct sk_buff *skb,
					    struct net_device *sb_dev)
{
	int queue_index = 0;

#ifdef CONFIG_XPS
	u32 sender_cpu = skb->sender_cpu - 1;

	if (sender_cpu >= (u32)NR_CPUS)
		skb->sender_cpu = raw_smp_processor_id() + 1;
#endif

	if (dev->real_num_tx_queues != 1) {
		const struct net_device_ops *ops = dev->netdev_ops;

		/* The one addition: before either pick, as the probe does. */
		txqg_txhash_step(dev, skb);
		if (ops->ndo_select_queue)
			queue_index = ops->ndo_select_queue(dev, skb, sb_dev);
		else
			queue_index = netdev_pick_tx(dev, skb, sb_dev);

		queue_index = netdev_cap_txqueue(dev, queue_index);
	}

	skb_set_queue_mapping(skb, queue_index);
	return netdev_get_tx_queue(dev, queue_index);
}

static struct txqg_probe txhash = {
	.symbol = LP_TARGET,
	.state = TXQGUARD_PROBE_DISABLED,
};

/* Disabled through sysfs: once no task can run the copy, the guard is off. */
static void lp_post_unpatch(struct klp_object *obj)
{
	/* Also run when enabling failed: nothing was on then. */
	if (READ_ONCE(txhash.state) != TXQGUARD_PROBE_ARMED)
		return;
	WRITE_ONCE(txhash.state, TXQGUARD_PROBE_DISABLED);
	pr_warn("live patch disabled: the txhash guard is off until txqguard is loaded again\n");
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = LP_TARGET,
		.new_func = lp_core_pick_tx,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		/* vmlinux */
		.funcs = lp_funcs,
		.callbacks.post_unpatch = lp_post_unpatch,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

/*
 * The replacement is reached only if the running function is the one copied
 * (same source, hence same size from the same build) and the transmit path
 * calls it rather than an inlined copy of it.
 */
static int lp_verify(unsigned long target)
{
	const char *release = init_utsname()->release;
	unsigned long size, caller;
	int i;

	size = txqg_symbol_size(target);
	for (i = 0; i < ARRAY_SIZE(verified); i++)
		if (!strcmp(verified[i].release, release))
			break;
	if (i == ARRAY_SIZE(verified) || verified[i].size != size) {
		pr_err("%s of %s (%lu bytes) is not one this live patch was verified against; refusing to load (txqguard.ko guards this kernel)\n",
		       LP_TARGET, release, size);
		return -EOPNOTSUPP;
	}
	caller = txqg_lookup_name(LP_CALLER);
	if (!caller || !txqg_arch_calls(caller, txqg_symbol_size(caller), target)) {
		pr_err("%s does not call %s out of line here, so a replacement would not be reached; refusing to load (txqguard.ko guards this kernel)\n",
		       LP_CALLER, LP_TARGET);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* The refusals a live patch can foresee, before anything is armed. */
int txqg_txhash_prepare(void)
{
	unsigned long target = txqg_lookup_name(LP_TARGET);
	int err;

	if (!target) {
		pr_err("%s is not in kallsyms; refusing to load\n", LP_TARGET);
		err = -ENOENT;
		goto err_out;
	}
	err = lp_verify(target);
	if (err)
		goto err_out;
	txhash.addr = target;
	return 0;

err_out:
	txhash.err = err;
	txhash.state = TXQGUARD_PROBE_FAILED;
	return err;
}

/* The last step of init: a patch once enabled is undone only through sysfs. */
int txqg_txhash_arm(void)
{
	int err = klp_enable_patch(&lp_patch);

	if (err) {
		pr_err("cannot enable the live patch of %s (%d): another live patch or ftrace user that redirects it owns it; refusing to load\n",
		       LP_TARGET, err);
		txhash.err = err;
		txhash.state = TXQGUARD_PROBE_FAILED;
		return err;
	}
	txhash.kind = TXQG_KIND_LIVEPATCH;
	txhash.state = TXQGUARD_PROBE_ARMED;
	return 0;
}

/*
 * The module cannot be unloaded while its patch is enabled (the live-patch
 * core holds a reference until the disable transition completes), so there
 * is nothing left to undo here.
 */
void txqg_txhash_disarm(void)
{
	txhash.state = TXQGUARD_PROBE_DISABLED;
	txhash.kind = TXQG_KIND_NONE;
}

int txqg_txhash_each(txqg_probe_fn fn, void *ctx)
{
	return fn(ctx, &txhash, TXQGUARD_GUARD_TXHASH);
}
