// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "txqguard": the controller's interface. The layout is
 * documented in include/uapi/linux/txqguard.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "txqguard.h"

static const struct nla_policy txqg_policy[TXQGUARD_A_MAX + 1] = {
	[TXQGUARD_A_MODE] = NLA_POLICY_MAX(NLA_U32, TXQGUARD_MODE_ENFORCE),
};

static struct genl_family txqg_family;

static void *reply_header(struct sk_buff *msg, struct genl_info *info, u8 cmd)
{
	return genlmsg_put(msg, info->snd_portid, info->snd_seq, &txqg_family,
			   0, cmd);
}

static int get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = reply_header(msg, info, TXQGUARD_CMD_GET_STATS);
	if (!hdr)
		goto err_size;
	if (nla_put_string(msg, TXQGUARD_A_VERSION, TXQGUARD_VERSION) ||
	    nla_put_u32(msg, TXQGUARD_A_MODE, txqg_get_mode()) ||
	    nla_put_string(msg, TXQGUARD_A_BACKEND,
			   txqg_backend_name()) ||
	    nla_put_u64_64bit(msg, TXQGUARD_A_EVENTS_TOTAL, txqg_events_total(),
			      TXQGUARD_A_PAD) ||
	    nla_put_u32(msg, TXQGUARD_A_HOLD_MS, txqg_hold_remaining_ms()))
		goto err_size;
	nest = nla_nest_start(msg, TXQGUARD_A_COUNTERS);
	if (!nest)
		goto err_size;
	for (i = 0; i < __TXQGUARD_CTR_MAX; i++)
		if (nla_put_u64_64bit(msg, i + 1, txqg_counter_read(i), 0))
			goto err_size;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int put_probe(void *ctx, const struct txqg_probe *p, int guard)
{
	struct sk_buff *msg = ctx;
	struct nlattr *nest = nla_nest_start(msg, TXQGUARD_A_PROBE);

	if (!nest ||
	    nla_put_u32(msg, TXQGUARD_PROBE_A_GUARD, guard) ||
	    nla_put_string(msg, TXQGUARD_PROBE_A_SYMBOL,
			   p->symbol ? p->symbol : "") ||
	    nla_put_u32(msg, TXQGUARD_PROBE_A_STATE, p->state) ||
	    (p->state == TXQGUARD_PROBE_ARMED &&
	     (nla_put_string(msg, TXQGUARD_PROBE_A_KIND,
			     txqg_probe_kind_name(p)) ||
	      (p->kind != TXQG_KIND_BREAKPOINT &&
	       nla_put_flag(msg, TXQGUARD_PROBE_A_FTRACE)))) ||
	    (p->err && nla_put_s32(msg, TXQGUARD_PROBE_A_ERROR, p->err)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int get_probes(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = reply_header(msg, info, TXQGUARD_CMD_GET_PROBES);
	err = hdr ? txqg_probes_each(put_probe, msg) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int put_event(struct sk_buff *msg, const struct txqg_event *e)
{
	struct nlattr *nest = nla_nest_start(msg, TXQGUARD_A_EVENT);

	if (!nest ||
	    nla_put_u64_64bit(msg, TXQGUARD_EVENT_A_TIME_NS, e->ts_ns,
			      TXQGUARD_EVENT_A_PAD) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_CPU, e->cpu) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_GUARD, e->guard) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_ACTION, e->action) ||
	    nla_put_string(msg, TXQGUARD_EVENT_A_IFNAME, e->ifname) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_IFINDEX, e->ifindex) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_NETNS_INO, e->netns_ino) ||
	    nla_put_u8(msg, TXQGUARD_EVENT_A_REG_STATE, e->reg_state) ||
	    nla_put_u8(msg, TXQGUARD_EVENT_A_RUNNING, e->running) ||
	    nla_put_u8(msg, TXQGUARD_EVENT_A_CARRIER, e->carrier) ||
	    nla_put_u32(msg, TXQGUARD_EVENT_A_REAL_NUM_TX_QUEUES,
			e->real_num_tx_queues))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Room for every event returned: a nested event is well under 160 bytes. */
#define EVENTS_MSG_SIZE (TXQGUARD_EVENTS_MAX * 160 + 256)

static int get_events(struct sk_buff *skb, struct genl_info *info)
{
	struct txqg_event *ev;
	struct sk_buff *msg;
	void *hdr;
	int n, i;

	msg = genlmsg_new(EVENTS_MSG_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	n = txqg_events_snapshot(&ev, TXQGUARD_EVENTS_MAX);
	if (n < 0) {
		nlmsg_free(msg);
		return n;
	}
	hdr = reply_header(msg, info, TXQGUARD_CMD_GET_EVENTS);
	if (!hdr || nla_put_u64_64bit(msg, TXQGUARD_A_EVENTS_TOTAL,
				      txqg_events_total(), TXQGUARD_A_PAD))
		goto err_size;
	for (i = 0; i < n; i++)
		if (put_event(msg, &ev[i]))
			goto err_size;
	kvfree(ev);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	kvfree(ev);
	return -EMSGSIZE;
}

static int set_mode(struct sk_buff *skb, struct genl_info *info)
{
	if (!info->attrs[TXQGUARD_A_MODE]) {
		NL_SET_ERR_MSG_MOD(info->extack, "TXQGUARD_A_MODE is required");
		return -EINVAL;
	}
	txqg_set_mode(nla_get_u32(info->attrs[TXQGUARD_A_MODE]));
	return 0;
}

static const struct genl_small_ops txqg_ops[] = {
	{ .cmd = TXQGUARD_CMD_GET_STATS, .doit = get_stats, .flags = GENL_ADMIN_PERM },
	{ .cmd = TXQGUARD_CMD_GET_PROBES, .doit = get_probes, .flags = GENL_ADMIN_PERM },
	{ .cmd = TXQGUARD_CMD_GET_EVENTS, .doit = get_events, .flags = GENL_ADMIN_PERM },
	{ .cmd = TXQGUARD_CMD_SET_MODE, .doit = set_mode, .flags = GENL_ADMIN_PERM },
};

/*
 * The nudge carries only the events total; where the kernel can keep
 * unprivileged sockets out of a group (GENL_MCAST_CAP_*, upstream 6.8 and
 * some stable backports) it does. 5.10 has no way to.
 */
static const struct genl_multicast_group txqg_mcgrps[] = {
	{
		.name = TXQGUARD_GENL_MCGRP_EVENTS,
#ifdef TXQG_HAVE_GENL_MCAST_CAP
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

static struct genl_family txqg_family __ro_after_init = {
	.name = TXQGUARD_GENL_NAME,
	.version = TXQGUARD_GENL_VERSION,
	.maxattr = TXQGUARD_A_MAX,
	.policy = txqg_policy,
	.module = THIS_MODULE,
	.small_ops = txqg_ops,
	.n_small_ops = ARRAY_SIZE(txqg_ops),
	.mcgrps = txqg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(txqg_mcgrps),
};

/* From the report work (events.c), at most every 100 ms. */
void txqg_genl_notify(u64 total)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &txqg_family, 0, TXQGUARD_CMD_NEW_EVENTS);
	if (!hdr || nla_put_u64_64bit(msg, TXQGUARD_A_EVENTS_TOTAL, total,
				      TXQGUARD_A_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH when nobody follows: nothing to do about it. */
	genlmsg_multicast(&txqg_family, msg, 0, 0, GFP_KERNEL);
}

int txqg_genl_init(void)
{
	int err = genl_register_family(&txqg_family);

	/* Both forms register the family: the first one loaded keeps it. */
	if (err == -EEXIST) {
		pr_err("generic netlink family %s exists: txqguard or txqguard_lp is already loaded; unload it first\n",
		       TXQGUARD_GENL_NAME);
		return err;
	}
	if (err)
		pr_err("cannot register generic netlink family %s (%d)\n",
		       TXQGUARD_GENL_NAME, err);
	return err;
}

void txqg_genl_exit(void)
{
	genl_unregister_family(&txqg_family);
}
