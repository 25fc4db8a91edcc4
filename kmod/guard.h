/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that decides what a packet is. Every backend asks these.
 */
#ifndef _TXQGUARD_GUARD_H
#define _TXQGUARD_GUARD_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

/*
 * A device is dying once unregister_netdevice_many() has set its reg_state
 * to NETREG_UNREGISTERING (unlist_netdevice); real_num_tx_queues drops to 0
 * later, after a synchronize_net() (remove_queue_kobjects). A reader inside
 * one RCU-bh read-side section that can see the zero count began after that
 * grace period started, so it also sees reg_state != NETREG_REGISTERED:
 * testing both at the entry of the pick closes the window without a lock.
 */
static __always_inline bool txqg_dev_dying(const struct net_device *dev)
{
	return dev->reg_state != NETREG_REGISTERED ||
	       READ_ONCE(dev->real_num_tx_queues) == 0;
}

/*
 * Lethal pick: skb_tx_hash() spins forever when a packet carries a recorded
 * rx queue and the queue count it divides by is 0. A packet without one
 * takes reciprocal_scale(), which is safe with a zero count; an admin-down
 * device keeps its count and is no danger either.
 */
static __always_inline bool txqg_txhash_lethal(const struct net_device *dev,
					       const struct sk_buff *skb)
{
	return skb_rx_queue_recorded(skb) && txqg_dev_dying(dev);
}

/*
 * Upstream 066b86787fa3 and 47e55e4b410f: OVS must not hand a packet to a
 * port whose device is not running or has no carrier. Only a dying device
 * makes that the lockup (txqg_dev_dying()); for any other such port it is
 * the drop upstream's do_output() makes silently.
 */
static __always_inline bool txqg_ovs_port_usable(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

#endif /* _TXQGUARD_GUARD_H */
