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

/* stats.c: per-CPU counters and the recent-events ring */
int txqg_stats_init(void);
void txqg_stats_exit(void);
struct txqg_pcpu {
	u64 ctr[__TXQGUARD_CTR_MAX];
};

extern struct txqg_pcpu __percpu *txqg_pcpu;

/* Inline: the checked counters are bumped for every guarded packet. */
static __always_inline void txqg_count(enum txqguard_counter ctr)
{
	this_cpu_inc(txqg_pcpu->ctr[ctr]);
}

u64 txqg_counter_read(enum txqguard_counter ctr);
void txqg_hazard(enum txqguard_guard guard, enum txqguard_action action,
		 const struct net_device *dev);

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

#define TXQG_EVENTS 64
/* Copies up to @max events, oldest first; returns the number copied. */
unsigned int txqg_events_snapshot(struct txqg_event *out, unsigned int max,
				  u64 *total);

/* hold.c: refuse unloading while hazards keep arriving */
void txqg_hold_note(void);
void txqg_hold_exit(void);

/* symbols.c */
int txqg_symbols_init(void);
unsigned long txqg_lookup_name(const char *name);
unsigned long txqg_symbol_size(unsigned long addr);

/* arch.c */
bool txqg_arch_calls(unsigned long caller, unsigned long size,
		     unsigned long callee);

/* probe_*.c: each guard's handler, target and arming */
int txqg_txhash_arm(void);
void txqg_txhash_disarm(void);
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
void txqg_genl_notify(void);

/* debugfs.c and selftest.c */
int txqg_debugfs_init(void);
void txqg_debugfs_exit(void);
int txqg_selftest_init(struct dentry *dir);

#endif /* _TXQGUARD_H */
