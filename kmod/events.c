// SPDX-License-Identifier: GPL-2.0
/*
 * Lethal packets: a sampled record of them, and what follows one.
 *
 * During a window every packet OVS sends to the dying port is lethal, at line
 * rate on every CPU that forwards it. The packet path therefore only writes
 * to its own CPU's ring, at most once per TXQGUARD_EVENT_INTERVAL_MS per
 * guard, under a per-CPU sequence count and with interrupts off: no lock is
 * shared between CPUs. The kernel log line and the multicast nudge to
 * followers come from a work item in process context, at most every 100 ms;
 * the counters (stats.c) still count every packet. The work is unbound and
 * queued without a timer: in detect or off mode the CPU that saw a lethal
 * packet may be about to spin in skb_tx_hash() with bottom halves off, and
 * neither its timers nor its bound workers would run again. The packet path
 * queues it only when no report is under way, so at most ten times a second.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "txqguard.h"

#define RING_LEN 16

struct txqg_ring {
	seqcount_t seq;
	u32 head;				/* events recorded on this CPU */
	unsigned long next[__TXQGUARD_GUARD_MAX];	/* jiffies: none before */
	struct txqg_event ev[RING_LEN];
};

static struct txqg_ring __percpu *rings;
static unsigned long interval;		/* jiffies, at least 1 */
static unsigned long report_wanted;	/* a report is queued or running */

static void report_fn(struct work_struct *work);
static DECLARE_WORK(report_work, report_fn);

int txqg_events_init(void)
{
	unsigned long now = jiffies;
	int cpu, g;

	rings = alloc_percpu(struct txqg_ring);
	if (!rings)
		return -ENOMEM;
	interval = max(1UL, msecs_to_jiffies(TXQGUARD_EVENT_INTERVAL_MS));
	/* jiffies starts 5 minutes before its wrap: 0 would read as the future. */
	for_each_possible_cpu(cpu) {
		struct txqg_ring *r = per_cpu_ptr(rings, cpu);

		seqcount_init(&r->seq);
		for (g = 0; g < __TXQGUARD_GUARD_MAX; g++)
			r->next[g] = now;
	}
	return 0;
}

/* After every probe is gone: nothing can queue the work any more. */
void txqg_events_stop(void)
{
	cancel_work_sync(&report_work);
}

void txqg_events_exit(void)
{
	free_percpu(rings);
	rings = NULL;
}

void txqg_lethal(enum txqguard_guard guard, enum txqguard_action action,
		 const struct net_device *dev)
{
	unsigned long now = jiffies, flags;
	struct txqg_event *e;
	struct txqg_ring *r;

	local_irq_save(flags);
	r = this_cpu_ptr(rings);
	if (time_before(now, r->next[guard])) {
		local_irq_restore(flags);
		return;
	}
	r->next[guard] = now + interval;
	raw_write_seqcount_begin(&r->seq);
	e = &r->ev[r->head % RING_LEN];
	e->ts_ns = ktime_get_real_ns();
	e->cpu = smp_processor_id();
	e->guard = guard;
	e->action = action;
	e->reg_state = dev->reg_state;
	e->running = netif_running(dev);
	e->carrier = netif_carrier_ok(dev);
	e->real_num_tx_queues = READ_ONCE(dev->real_num_tx_queues);
	e->ifindex = dev->ifindex;
	e->netns_ino = dev_net(dev)->ns.inum;
	memcpy(e->ifname, dev->name, IFNAMSIZ);
	e->ifname[IFNAMSIZ - 1] = '\0';
	r->head++;
	raw_write_seqcount_end(&r->seq);
	local_irq_restore(flags);

	txqg_hold_note(now);
	/* Pairs with report_fn(): it sees this event, or we see its flag clear. */
	smp_mb();
	if (!READ_ONCE(report_wanted) && !xchg(&report_wanted, 1))
		queue_work(system_unbound_wq, &report_work);
}

u64 txqg_events_total(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(rings, cpu)->head);
	return sum;
}

static int cmp_ts(const void *a, const void *b)
{
	const struct txqg_event *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

int txqg_events_snapshot(struct txqg_event **out, unsigned int max)
{
	struct txqg_event *all;
	unsigned int n = 0;
	int cpu;

	all = kvmalloc_array(nr_cpu_ids * RING_LEN, sizeof(*all), GFP_KERNEL);
	if (!all)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct txqg_ring *r = per_cpu_ptr(rings, cpu);
		unsigned int seq, head, cnt, i;

		do {
			seq = read_seqcount_begin(&r->seq);
			head = r->head;
			cnt = min_t(unsigned int, head, RING_LEN);
			for (i = 0; i < cnt; i++)
				all[n + i] = r->ev[(head - cnt + i) % RING_LEN];
		} while (read_seqcount_retry(&r->seq, seq));
		n += cnt;
	}
	sort(all, n, sizeof(*all), cmp_ts, NULL);
	if (n > max) {
		memmove(all, all + n - max, max * sizeof(*all));
		n = max;
	}
	*out = all;
	return n;
}

static void log_event(const struct txqg_event *ev)
{
	static DEFINE_RATELIMIT_STATE(rs_txhash, 5 * HZ, 3);
	static DEFINE_RATELIMIT_STATE(rs_ovs, 5 * HZ, 3);
	struct ratelimit_state *rs = ev->guard == TXQGUARD_GUARD_TXHASH ?
				     &rs_txhash : &rs_ovs;

	if (!__ratelimit(rs))
		return;
	/* Names may hold any byte but '/', ':' and blanks: escape them. */
	pr_warn("%s hazard on %*pE (ifindex %d, reg_state %u, running %u, carrier %u, real_num_tx_queues %u): %s\n",
		txqg_guard_names[ev->guard], (int)strnlen(ev->ifname, IFNAMSIZ),
		ev->ifname, ev->ifindex, ev->reg_state, ev->running,
		ev->carrier, ev->real_num_tx_queues,
		txqg_action_names[ev->action]);
}

/* The hold's news and the log lines for the events recorded since the last. */
static void report(void)
{
	static u64 logged_until;	/* ts_ns of the newest event logged */
	struct txqg_event *ev;
	int n, i;

	txqg_hold_announce();
	n = txqg_events_snapshot(&ev, TXQGUARD_EVENTS_MAX);
	if (n < 0)
		return;
	for (i = 0; i < n; i++)
		if (ev[i].ts_ns > logged_until)
			log_event(&ev[i]);
	if (n > 0)
		logged_until = ev[n - 1].ts_ns;
	kvfree(ev);
}

/* Reports, then again every 100 ms while lethal packets keep being recorded. */
static void report_fn(struct work_struct *work)
{
	u64 total;

	do {
		total = txqg_events_total();
		report();
		txqg_genl_notify(total);
		msleep(100);
		WRITE_ONCE(report_wanted, 0);
		/* Pairs with txqg_lethal(): we see its event, or it sees the flag clear. */
		smp_mb();
	} while (txqg_events_total() != total && !xchg(&report_wanted, 1));
}
