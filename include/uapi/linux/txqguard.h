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
 *                               (nest: attribute type = counter index + 1, u64)
 *   TXQGUARD_CMD_GET_PROBES  -> one PROBE nest per guard (TXQGUARD_PROBE_A_*)
 *   TXQGUARD_CMD_GET_EVENTS  -> EVENTS_TOTAL and one EVENT nest per recent
 *                               hazard, oldest first (TXQGUARD_EVENT_A_*)
 *   TXQGUARD_CMD_SET_MODE    <- MODE (u32, enum txqguard_mode)
 *   TXQGUARD_CMD_NEW_EVENTS  multicast on group "events" when hazards were
 *                            recorded: EVENTS_TOTAL only, at most every
 *                            100 ms; listeners then ask GET_EVENTS, which
 *                            keeps device names behind CAP_NET_ADMIN.
 */
#ifndef _UAPI_LINUX_TXQGUARD_H
#define _UAPI_LINUX_TXQGUARD_H

#define TXQGUARD_VERSION "0.1.0"

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

enum txqguard_counter {
	TXQGUARD_CTR_TXHASH_CHECKED,
	TXQGUARD_CTR_TXHASH_HAZARDS,
	TXQGUARD_CTR_TXHASH_NEUTRALIZED,
	TXQGUARD_CTR_OVS_OUTPUT_CHECKED,
	TXQGUARD_CTR_OVS_OUTPUT_HAZARDS,
	TXQGUARD_CTR_OVS_OUTPUT_DROPPED,
	__TXQGUARD_CTR_MAX,
};

#define TXQGUARD_COUNTER_NAMES {					\
	"txhash_checked", "txhash_hazards", "txhash_neutralized",	\
	"ovs_output_checked", "ovs_output_hazards", "ovs_output_dropped", \
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
