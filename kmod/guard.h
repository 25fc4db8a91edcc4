/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that decides what is a hazard. Every backend asks these.
 */
#ifndef _TXQGUARD_GUARD_H
#define _TXQGUARD_GUARD_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

/*
 * skb_tx_hash() spins forever when a packet carries a recorded rx queue and
 * the queue count it divides by is 0. That count reaches 0 only after
 * unregister_netdevice_many() has cleared __LINK_STATE_START (dev_close_many)
 * and set reg_state to NETREG_UNREGISTERING (unlist_netdevice), both before
 * its synchronize_net(); the zeroing of real_num_tx_queues
 * (remove_queue_kobjects) comes after it. The pick runs inside
 * rcu_read_lock_bh() of __dev_queue_xmit(), so a reader that can see
 * real_num_tx_queues == 0 began after that grace period started and
 * therefore also sees !netif_running() and reg_state != NETREG_REGISTERED.
 * Testing all three at the entry of the pick, in the same read-side
 * section, closes the window without taking any lock.
 */
static inline bool txqg_txhash_hazard(const struct net_device *dev,
				      const struct sk_buff *skb)
{
	if (!skb_rx_queue_recorded(skb))
		return false;
	return !netif_running(dev) ||
	       dev->reg_state != NETREG_REGISTERED ||
	       READ_ONCE(dev->real_num_tx_queues) == 0;
}

/*
 * Upstream 066b86787fa3 and 47e55e4b410f: OVS must not hand a packet to a
 * port whose device is not running or has no carrier.
 */
static inline bool txqg_ovs_output_hazard(const struct net_device *dev)
{
	return !netif_running(dev) || !netif_carrier_ok(dev);
}

#endif /* _TXQGUARD_GUARD_H */
