/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ovs_output guard's handler, shared by its kprobe (probe_ovs.c) and the
 * ftrace attachment (attach_ftrace.c). Returns true when ovs_vport_send() must
 * be returned from without running: the packet was freed.
 */
#ifndef _TXQGUARD_OVS_GUARD_H
#define _TXQGUARD_OVS_GUARD_H

#include <linux/netdevice.h>
#include <linux/ptrace.h>

#include "guard.h"
#include "txqguard.h"

/* For ovs_vport_send(struct vport *vport, struct sk_buff *skb, u8 mac_proto). */
static __always_inline bool txqg_ovs_check(void *vport, struct sk_buff *skb)
{
	struct net_device *dev;
	int mode = txqg_get_mode();

	if (mode == TXQGUARD_MODE_OFF)
		return false;
	txqg_count(TXQGUARD_CTR_OVS_OUTPUT_CHECKED);
	/* The first word of struct vport: checked when armed (probe_ovs.c). */
	dev = READ_ONCE(*(struct net_device **)vport);
	/* A dying device was closed first: usable means not dying. */
	if (likely(!dev || txqg_ovs_port_usable(dev)))
		return false;

	if (txqg_dev_dying(dev)) {
		txqg_count(TXQGUARD_CTR_OVS_OUTPUT_HAZARDS);
		if (mode != TXQGUARD_MODE_ENFORCE) {
			txqg_lethal(TXQGUARD_GUARD_OVS_OUTPUT, TXQGUARD_ACTION_DETECTED, dev);
			return false;
		}
		txqg_count(TXQGUARD_CTR_OVS_OUTPUT_DROPPED);
		txqg_lethal(TXQGUARD_GUARD_OVS_OUTPUT, TXQGUARD_ACTION_DROPPED, dev);
	} else {
		txqg_count(TXQGUARD_CTR_OVS_OUTPUT_PORT_DOWN);
		if (mode != TXQGUARD_MODE_ENFORCE)
			return false;
		txqg_count(TXQGUARD_CTR_OVS_OUTPUT_PORT_DOWN_DROPPED);
	}
	/* Any context: a breakpoint probe runs with interrupts off. */
	dev_kfree_skb_any(skb);
	return true;
}

static __always_inline bool txqg_ovs_guard(struct pt_regs *regs)
{
	return txqg_ovs_check((void *)regs_get_kernel_argument(regs, 0),
			      (void *)regs_get_kernel_argument(regs, 1));
}

#endif /* _TXQGUARD_OVS_GUARD_H */
