/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The txhash guard's step, shared by the probe (probe_txhash.c) and the live
 * patch (livepatch.c) so both count and act alike.
 */
#ifndef _TXQGUARD_TXHASH_H
#define _TXQGUARD_TXHASH_H

#include <linux/ptrace.h>

#include "guard.h"
#include "txqguard.h"

/*
 * Called before the transmit-queue pick. A lethal packet has its recorded
 * rx queue forgotten in enforce mode, so skb_tx_hash() takes its hash path
 * (reciprocal_scale(), safe with a zero count) instead of its subtraction
 * loop. The pick itself always runs.
 */
static __always_inline void txqg_txhash_step(struct net_device *dev,
					     struct sk_buff *skb)
{
	int mode = txqg_get_mode();

	if (mode == TXQGUARD_MODE_OFF)
		return;
	txqg_count(TXQGUARD_CTR_TXHASH_CHECKED);
	if (likely(!txqg_txhash_lethal(dev, skb)))
		return;

	txqg_count(TXQGUARD_CTR_TXHASH_HAZARDS);
	if (mode == TXQGUARD_MODE_ENFORCE) {
		skb_set_queue_mapping(skb, 0);
		txqg_count(TXQGUARD_CTR_TXHASH_NEUTRALIZED);
		txqg_lethal(TXQGUARD_GUARD_TXHASH, TXQGUARD_ACTION_RXQ_CLEARED, dev);
	} else {
		txqg_lethal(TXQGUARD_GUARD_TXHASH, TXQGUARD_ACTION_DETECTED, dev);
	}
}

/*
 * As attached at the entry of netdev_pick_tx(dev, skb, sb_dev) or
 * netdev_core_pick_tx(dev, skb, sb_dev). Never skips the function.
 */
static __always_inline bool txqg_txhash_guard(struct pt_regs *regs)
{
	txqg_txhash_step((void *)regs_get_kernel_argument(regs, 0),
			 (void *)regs_get_kernel_argument(regs, 1));
	return false;
}

#endif /* _TXQGUARD_TXHASH_H */
