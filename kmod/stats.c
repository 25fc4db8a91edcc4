// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "txqguard.h"

struct txqg_pcpu __percpu *txqg_pcpu;

/* Hazards are rare: a plain lock around a small ring is enough. */
static DEFINE_SPINLOCK(events_lock);
static struct txqg_event events[TXQG_EVENTS];
static u64 events_total;

int txqg_stats_init(void)
{
	txqg_pcpu = alloc_percpu(struct txqg_pcpu);
	return txqg_pcpu ? 0 : -ENOMEM;
}

void txqg_stats_exit(void)
{
	free_percpu(txqg_pcpu);
	txqg_pcpu = NULL;
}

u64 txqg_counter_read(enum txqguard_counter ctr)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(txqg_pcpu, cpu)->ctr[ctr]);
	return sum;
}

static void log_hazard(enum txqguard_guard guard, enum txqguard_action action,
		       const struct txqg_event *ev)
{
	static DEFINE_RATELIMIT_STATE(rs_txhash, 5 * HZ, 3);
	static DEFINE_RATELIMIT_STATE(rs_ovs, 5 * HZ, 3);
	struct ratelimit_state *rs = guard == TXQGUARD_GUARD_TXHASH ?
				     &rs_txhash : &rs_ovs;

	if (!__ratelimit(rs))
		return;
	/* Names may hold any byte but '/', ':' and blanks: escape them. */
	pr_warn("%s hazard on %*pE (ifindex %d, reg_state %u, running %u, carrier %u, real_num_tx_queues %u): %s\n",
		txqg_guard_names[guard], (int)strnlen(ev->ifname, IFNAMSIZ),
		ev->ifname, ev->ifindex, ev->reg_state,
		ev->running, ev->carrier, ev->real_num_tx_queues,
		txqg_action_names[action]);
}

void txqg_hazard(enum txqguard_guard guard, enum txqguard_action action,
		 const struct net_device *dev)
{
	struct txqg_event ev = {
		.ts_ns = ktime_get_real_ns(),
		.cpu = raw_smp_processor_id(),
		.guard = guard,
		.action = action,
		.reg_state = dev->reg_state,
		.running = netif_running(dev),
		.carrier = netif_carrier_ok(dev),
		.real_num_tx_queues = READ_ONCE(dev->real_num_tx_queues),
		.ifindex = dev->ifindex,
		.netns_ino = dev_net(dev)->ns.inum,
	};
	unsigned long flags;

	memcpy(ev.ifname, dev->name, IFNAMSIZ);
	ev.ifname[IFNAMSIZ - 1] = '\0';

	spin_lock_irqsave(&events_lock, flags);
	events[events_total % TXQG_EVENTS] = ev;
	events_total++;
	spin_unlock_irqrestore(&events_lock, flags);

	log_hazard(guard, action, &ev);
	txqg_genl_notify();
	txqg_hold_note();
}

unsigned int txqg_events_snapshot(struct txqg_event *out, unsigned int max,
				  u64 *total)
{
	unsigned long flags;
	unsigned int n, i;
	u64 first;

	spin_lock_irqsave(&events_lock, flags);
	n = min_t(u64, events_total, min_t(unsigned int, max, TXQG_EVENTS));
	first = events_total - n;
	for (i = 0; i < n; i++)
		out[i] = events[(first + i) % TXQG_EVENTS];
	*total = events_total;
	spin_unlock_irqrestore(&events_lock, flags);
	return n;
}
