/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * txqguard: the contract between txqguard.ko and its controller.
 *
 * Counters, modes, guards and event actions are numbered here once; the
 * module's debugfs view and the controller's parsers both print and read
 * the names below, in this order.
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

#endif /* _UAPI_LINUX_TXQGUARD_H */
