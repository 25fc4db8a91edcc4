// SPDX-License-Identifier: GPL-2.0
/*
 * txhash guard: at the entry of the transmit-queue pick, a packet that carries
 * a recorded rx queue towards a dying device has that record forgotten, so
 * skb_tx_hash() takes its hash path (reciprocal_scale(), which is safe with a
 * zero count) instead of its subtraction loop.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/ptrace.h>

#include "txhash.h"

TXQG_DEFINE_PROBE(txhash, TXQG_PROBE_TXHASH, txqg_txhash_guard, false);

/*
 * netdev_core_pick_tx() reaches the pick only when real_num_tx_queues != 1,
 * so a probe on its callee netdev_pick_tx() costs ordinary single-queue
 * transmit nothing. Where the compiler inlined netdev_pick_tx() into
 * netdev_core_pick_tx() the out-of-line copy serves only drivers' own
 * ndo_select_queue(), so the probe must sit on netdev_core_pick_tx() itself.
 */
static const char *txhash_target(void)
{
	unsigned long core = txqg_lookup_name("netdev_core_pick_tx");
	unsigned long pick = (unsigned long)netdev_pick_tx;
	unsigned long size;

	if (!core) {
		pr_warn("netdev_core_pick_tx not in kallsyms: probing netdev_pick_tx\n");
		return "netdev_pick_tx";
	}
	size = txqg_symbol_size(core);
	if (size && txqg_arch_calls(core, size, pick))
		return "netdev_pick_tx";
	pr_info("netdev_core_pick_tx does not call netdev_pick_tx (inlined): probing netdev_core_pick_tx\n");
	return "netdev_core_pick_tx";
}

int txqg_txhash_prepare(void)
{
	int err;

	txhash.symbol = txhash_target();
	err = txqg_probe_prepare(&txhash);
	if (err)
		pr_err("cannot resolve %s for the txhash guard with attach=%s (%d); refusing to load\n",
		       txhash.symbol, txqg_attach_names[txqg_attach_get()], err);
	return err;
}

int txqg_txhash_arm(void)
{
	int err = txqg_probe_arm(&txhash);

	if (err)
		pr_err("cannot arm the txhash guard on %s with attach=%s (%d); refusing to load\n",
		       txhash.symbol, txqg_attach_names[txqg_attach_get()], err);
	return err;
}

void txqg_txhash_disarm(void)
{
	txqg_probe_disarm(&txhash);
	txhash.state = TXQGUARD_PROBE_DISABLED;
}

/* The txhash probe changes only at load and unload: no lock needed. */
int txqg_txhash_each(txqg_probe_fn fn, void *ctx)
{
	return fn(ctx, &txhash, TXQGUARD_GUARD_TXHASH);
}
