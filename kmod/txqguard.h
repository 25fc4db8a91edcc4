/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TXQGUARD_H
#define _TXQGUARD_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <uapi/linux/txqguard.h>

#include "attach.h"

/* Both forms (txqguard.ko, txqguard_lp.ko) show their state here. */
#define TXQG_DIR_NAME "txqguard"

extern const char *const txqg_mode_names[__TXQGUARD_MODE_MAX];
extern const char *const txqg_guard_names[__TXQGUARD_GUARD_MAX];
extern const char *const txqg_action_names[__TXQGUARD_ACTION_MAX];
extern const char *const txqg_counter_names[__TXQGUARD_CTR_MAX];
extern const char *const txqg_probe_state_names[__TXQGUARD_PROBE_STATE_MAX];

/* main.c */
extern int txqg_mode;
extern bool txqg_selftest;
void txqg_set_mode(int mode);
/* "livepatch" for txqguard_lp.ko, else the attachment chosen */
const char *txqg_backend_name(void);
static inline int txqg_get_mode(void)
{
	return READ_ONCE(txqg_mode);
}

/* stats.c: per-CPU counters */
int txqg_stats_init(void);
void txqg_stats_exit(void);
struct txqg_pcpu {
	u64 ctr[__TXQGUARD_CTR_MAX];
};

extern struct txqg_pcpu __percpu *txqg_pcpu;

/*
 * Inline: the checked counters are bumped for every guarded packet. Every
 * guarded function runs with bottom halves or interrupts off, so a plain
 * per-CPU increment (no atomic, no preemption toggling) suffices; only a
 * netpoll transmit from a hard interrupt landing inside one could cost a
 * count.
 */
static __always_inline void txqg_count(enum txqguard_counter ctr)
{
	__this_cpu_inc(txqg_pcpu->ctr[ctr]);
}

u64 txqg_counter_read(enum txqguard_counter ctr);

/* events.c: sampled per-CPU record of lethal packets, and what follows one */
struct txqg_event {
	u64 ts_ns;
	u32 cpu;
	u8 guard;
	u8 action;
	u8 reg_state;
	u8 running;
	u8 carrier;
	u32 real_num_tx_queues;
	int ifindex;
	u32 netns_ino;
	char ifname[IFNAMSIZ];
};

int txqg_events_init(void);
void txqg_events_stop(void);
void txqg_events_exit(void);
/* Packet path, any context but NMI; takes no lock. */
void txqg_lethal(enum txqguard_guard guard, enum txqguard_action action,
		 const struct net_device *dev);
u64 txqg_events_total(void);
/*
 * Copies up to @max of the newest events of all CPUs, oldest first, into a
 * buffer it allocates (*@out, kvfree() it); returns the number copied or a
 * negative errno. Process context.
 */
int txqg_events_snapshot(struct txqg_event **out, unsigned int max);

/* hold.c: refuse unloading while lethal packets keep arriving */
void txqg_hold_note(unsigned long now);
void txqg_hold_announce(void);
unsigned int txqg_hold_remaining_ms(void);
void txqg_hold_exit(void);

/* symbols.c */
int txqg_symbols_init(void);
unsigned long txqg_lookup_name(const char *name);
unsigned long txqg_symbol_size(unsigned long addr);

/* arch.c */
bool txqg_arch_calls(unsigned long caller, unsigned long size,
		     unsigned long callee);
bool txqg_arch_reads_field_of_arg0(unsigned long func, unsigned long size,
				   unsigned int field_off);

/*
 * probe_*.c (and livepatch.c): each guard's handler, target and arming.
 * *_prepare() does every check that can refuse the guard and arms nothing;
 * *_arm() then arms it; *_disarm() undoes both, whatever was reached.
 */
int txqg_txhash_prepare(void);
int txqg_txhash_arm(void);
void txqg_txhash_disarm(void);
int txqg_ovs_prepare(void);
int txqg_ovs_arm(void);
void txqg_ovs_disarm(void);
/*
 * Calls @fn for each guard's probe, in enum txqguard_guard order, under the
 * lock that keeps it stable; stops at the first non-zero return.
 */
typedef int (*txqg_probe_fn)(void *ctx, const struct txqg_probe *p, int guard);
int txqg_probes_each(txqg_probe_fn fn, void *ctx);
int txqg_txhash_each(txqg_probe_fn fn, void *ctx);
int txqg_ovs_each(txqg_probe_fn fn, void *ctx);

/* genl.c */
int txqg_genl_init(void);
void txqg_genl_exit(void);
/* Multicasts the events total to followers; process context. */
void txqg_genl_notify(u64 total);

/* debugfs.c and selftest.c */
int txqg_debugfs_init(void);
void txqg_debugfs_exit(void);
int txqg_selftest_init(struct dentry *dir);

#endif /* _TXQGUARD_H */
