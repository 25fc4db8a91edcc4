/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * txqguard: the contract between txqguard.ko and its controller.
 *
 * Counters, modes, guards and event actions are numbered here once; the
 * module's debugfs view and the controller's parsers both print and read
 * the names below, in this order.
 *
 * Generic netlink family "txqguard", version 1, init_net only. Every command
 * needs CAP_NET_ADMIN. Attributes are validated strictly; errors carry an
 * extack message.
 *
 *   TXQGUARD_CMD_GET_STATS   -> VERSION, MODE, BACKEND, EVENTS_TOTAL, COUNTERS
 *                               (nest: attribute type = counter index + 1, u64),
 *                               HOLD_MS
 *   TXQGUARD_CMD_GET_PROBES  -> one PROBE nest per guard (TXQGUARD_PROBE_A_*)
 *   TXQGUARD_CMD_GET_EVENTS  -> EVENTS_TOTAL and one EVENT nest per recent
 *                               lethal event, oldest first (TXQGUARD_EVENT_A_*)
 *   TXQGUARD_CMD_SET_MODE    <- MODE (u32, enum txqguard_mode)
 *   TXQGUARD_CMD_NEW_EVENTS  multicast on group "events" when lethal events
 *                            were recorded: EVENTS_TOTAL only, at most every
 *                            100 ms; listeners then ask GET_EVENTS, which
 *                            keeps device names behind CAP_NET_ADMIN.
 *
 * Two kinds of packet are told apart. A *lethal* one (a "hazard") goes to a
 * device that is unregistering (reg_state != NETREG_REGISTERED or
 * real_num_tx_queues == 0): on an unfixed kernel it is the lockup. Only those
 * are recorded as events, logged, multicast, and open the unload hold. An OVS
 * output to a port that is registered but not running or without carrier is
 * the drop upstream's do_output() makes silently: it is only counted
 * (OVS_OUTPUT_PORT_DOWN*).
 *
 * Events are sampled: every lethal packet is counted, but each CPU records at
 * most one event per TXQGUARD_EVENT_INTERVAL_MS into its own ring, and
 * GET_EVENTS returns the newest TXQGUARD_EVENTS_MAX of all CPUs' rings.
 * EVENTS_TOTAL counts the events recorded, not the packets.
 */
#ifndef _UAPI_LINUX_TXQGUARD_H
#define _UAPI_LINUX_TXQGUARD_H

#define TXQGUARD_VERSION "0.2.0"

enum txqguard_mode {
	TXQGUARD_MODE_OFF,
	TXQGUARD_MODE_DETECT,
	TXQGUARD_MODE_ENFORCE,
	__TXQGUARD_MODE_MAX,
};

#define TXQGUARD_MODE_NAMES { "off", "detect", "enforce" }

enum txqguard_guard {
	TXQGUARD_GUARD_TXHASH,		/* transmit-queue pick */
	TXQGUARD_GUARD_OVS_OUTPUT,	/* OVS output to a vport */
	__TXQGUARD_GUARD_MAX,
};

#define TXQGUARD_GUARD_NAMES { "txhash", "ovs_output" }

enum txqguard_action {
	TXQGUARD_ACTION_DETECTED,	/* detect mode: counted, let through */
	TXQGUARD_ACTION_RXQ_CLEARED,	/* recorded rx queue forgotten */
	TXQGUARD_ACTION_DROPPED,	/* packet freed instead of sent */
	__TXQGUARD_ACTION_MAX,
};

#define TXQGUARD_ACTION_NAMES { "detected", "rxq_cleared", "dropped" }

#define TXQGUARD_EVENTS_MAX 64
#define TXQGUARD_EVENT_INTERVAL_MS 20

enum txqguard_counter {
	TXQGUARD_CTR_TXHASH_CHECKED,	/* picks inspected */
	TXQGUARD_CTR_TXHASH_HAZARDS,	/* lethal: recorded rx queue, dying device */
	TXQGUARD_CTR_TXHASH_NEUTRALIZED,	/* lethal picks whose rx queue was cleared */
	TXQGUARD_CTR_OVS_OUTPUT_CHECKED,	/* OVS outputs inspected */
	TXQGUARD_CTR_OVS_OUTPUT_HAZARDS,	/* lethal: output to a dying device */
	TXQGUARD_CTR_OVS_OUTPUT_DROPPED,	/* lethal outputs dropped */
	TXQGUARD_CTR_OVS_OUTPUT_PORT_DOWN,	/* output to a registered port that is
						 * not running or has no carrier
						 */
	TXQGUARD_CTR_OVS_OUTPUT_PORT_DOWN_DROPPED,	/* those dropped (enforce) */
	__TXQGUARD_CTR_MAX,
};

#define TXQGUARD_COUNTER_NAMES {					\
	"txhash_checked", "txhash_hazards", "txhash_neutralized",	\
	"ovs_output_checked", "ovs_output_hazards", "ovs_output_dropped", \
	"ovs_output_port_down", "ovs_output_port_down_dropped",		\
}

enum txqguard_probe_state {
	TXQGUARD_PROBE_ARMED,
	TXQGUARD_PROBE_WAITING,	/* target module not loaded yet */
	TXQGUARD_PROBE_FAILED,
	TXQGUARD_PROBE_DISABLED,
	__TXQGUARD_PROBE_STATE_MAX,
};

#define TXQGUARD_PROBE_STATE_NAMES { "armed", "waiting", "failed", "disabled" }

#define TXQGUARD_GENL_NAME "txqguard"
#define TXQGUARD_GENL_VERSION 1
#define TXQGUARD_GENL_MCGRP_EVENTS "events"

enum txqguard_cmd {
	TXQGUARD_CMD_UNSPEC,
	TXQGUARD_CMD_GET_STATS,
	TXQGUARD_CMD_GET_PROBES,
	TXQGUARD_CMD_GET_EVENTS,
	TXQGUARD_CMD_SET_MODE,
	TXQGUARD_CMD_NEW_EVENTS,
	__TXQGUARD_CMD_MAX,
};
#define TXQGUARD_CMD_MAX (__TXQGUARD_CMD_MAX - 1)

enum txqguard_attr {
	TXQGUARD_A_UNSPEC,
	TXQGUARD_A_VERSION,		/* string */
	TXQGUARD_A_MODE,		/* u32, enum txqguard_mode */
	TXQGUARD_A_BACKEND,		/* string: "kprobe" or "ftrace" */
	TXQGUARD_A_EVENTS_TOTAL,	/* u64 */
	TXQGUARD_A_COUNTERS,		/* nest of u64, type = counter + 1 */
	TXQGUARD_A_PROBE,		/* nest, TXQGUARD_PROBE_A_* */
	TXQGUARD_A_EVENT,		/* nest, TXQGUARD_EVENT_A_* */
	TXQGUARD_A_PAD,
	TXQGUARD_A_HOLD_MS,		/* u32: ms until unloading is allowed
					 * again, 0 when no hold is open
					 */
	__TXQGUARD_A_MAX,
};
#define TXQGUARD_A_MAX (__TXQGUARD_A_MAX - 1)

enum txqguard_probe_attr {
	TXQGUARD_PROBE_A_UNSPEC,
	TXQGUARD_PROBE_A_GUARD,		/* u32, enum txqguard_guard */
	TXQGUARD_PROBE_A_SYMBOL,	/* string */
	TXQGUARD_PROBE_A_STATE,		/* u32, enum txqguard_probe_state */
	TXQGUARD_PROBE_A_FTRACE,	/* flag: attached through ftrace */
	TXQGUARD_PROBE_A_ERROR,		/* s32, last arm error */
	TXQGUARD_PROBE_A_KIND,		/* string, armed probes: "ftrace-ops",
					 * "kprobe-ftrace" or "breakpoint"
					 */
	__TXQGUARD_PROBE_A_MAX,
};
#define TXQGUARD_PROBE_A_MAX (__TXQGUARD_PROBE_A_MAX - 1)

enum txqguard_event_attr {
	TXQGUARD_EVENT_A_UNSPEC,
	TXQGUARD_EVENT_A_TIME_NS,	/* u64, CLOCK_REALTIME */
	TXQGUARD_EVENT_A_CPU,		/* u32 */
	TXQGUARD_EVENT_A_GUARD,		/* u32, enum txqguard_guard */
	TXQGUARD_EVENT_A_ACTION,	/* u32, enum txqguard_action */
	TXQGUARD_EVENT_A_IFNAME,	/* string */
	TXQGUARD_EVENT_A_IFINDEX,	/* u32 */
	TXQGUARD_EVENT_A_NETNS_INO,	/* u32 */
	TXQGUARD_EVENT_A_REG_STATE,	/* u8 */
	TXQGUARD_EVENT_A_RUNNING,	/* u8 */
	TXQGUARD_EVENT_A_CARRIER,	/* u8 */
	TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES,	/* u32 */
	TXQGUARD_EVENT_A_PAD,
	__TXQGUARD_EVENT_A_MAX,
};
#define TXQGUARD_EVENT_A_MAX (__TXQGUARD_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_TXQGUARD_H */
