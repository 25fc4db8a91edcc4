// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/txqguard/: the human view. "stats" holds "name value"
 * lines, "events" the recent hazards as key=value lines, "probes" one line
 * per guard: its target, state and, when armed, where and how it is attached
 * (ftrace-ops, kprobe-ftrace or breakpoint). Root only. Optional: a load
 * without debugfs serves all of it over generic netlink (genl.c) alone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/mm.h>

#include "txqguard.h"

static struct dentry *txqg_dir;

static int stats_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "version %s\n", TXQGUARD_VERSION);
	seq_printf(m, "mode %s\n", txqg_mode_names[txqg_get_mode()]);
	seq_printf(m, "backend %s\n", txqg_backend_name());
	for (i = 0; i < __TXQGUARD_CTR_MAX; i++)
		seq_printf(m, "%s %llu\n", txqg_counter_names[i],
			   txqg_counter_read(i));
	seq_printf(m, "events_total %llu\n", txqg_events_total());
	seq_printf(m, "hold_ms %u\n", txqg_hold_remaining_ms());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int events_show(struct seq_file *m, void *v)
{
	struct txqg_event *ev;
	int n, i;

	n = txqg_events_snapshot(&ev, TXQGUARD_EVENTS_MAX);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const struct txqg_event *e = &ev[i];
		u64 ns = e->ts_ns;
		u32 rem = do_div(ns, NSEC_PER_SEC);

		seq_printf(m, "time=%llu.%09u cpu=%u guard=%s ifname=%*pE ifindex=%d netns=%u reg_state=%u real_num_tx_queues=%u running=%u carrier=%u action=%s\n",
			   ns, rem, e->cpu, txqg_guard_names[e->guard],
			   (int)strnlen(e->ifname, IFNAMSIZ), e->ifname,
			   e->ifindex, e->netns_ino, e->reg_state,
			   e->real_num_tx_queues, e->running, e->carrier,
			   txqg_action_names[e->action]);
	}
	kvfree(ev);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(events);

static int probe_show(void *ctx, const struct txqg_probe *p, int guard)
{
	struct seq_file *m = ctx;

	seq_printf(m, "%s %s %s", txqg_guard_names[guard],
		   p->symbol ? p->symbol : "-", txqg_probe_state_names[p->state]);
	if (p->state == TXQGUARD_PROBE_ARMED)
		seq_printf(m, " %pS %pK %s", (void *)p->addr, (void *)p->addr,
			   txqg_probe_kind_name(p));
	if (p->err)
		seq_printf(m, " err=%d", p->err);
	seq_putc(m, '\n');
	return 0;
}

static int probes_show(struct seq_file *m, void *v)
{
	return txqg_probes_each(probe_show, m);
}
DEFINE_SHOW_ATTRIBUTE(probes);

/*
 * Without debugfs (debugfs=off, or a kernel built without it) the module
 * guards all the same: generic netlink serves everything these files show.
 * Only the reproducer's hook (selftest=1) has no other home.
 */
int txqg_debugfs_init(void)
{
	struct dentry *dir;
	int err;

	dir = debugfs_create_dir(TXQG_DIR_NAME, NULL);
	if (IS_ERR(dir)) {
		if (txqg_selftest) {
			pr_err("selftest=1 needs debugfs, which is unavailable (%ld)\n",
			       PTR_ERR(dir));
			return -EOPNOTSUPP;
		}
		pr_info("debugfs unavailable (%ld): stats, events and probes over generic netlink only\n",
			PTR_ERR(dir));
		return 0;
	}
	debugfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	debugfs_create_file("events", 0400, dir, NULL, &events_fops);
	debugfs_create_file("probes", 0400, dir, NULL, &probes_fops);
	if (txqg_selftest) {
		err = txqg_selftest_init(dir);
		if (err)
			goto err_dir;
	}
	txqg_dir = dir;
	return 0;

err_dir:
	debugfs_remove_recursive(dir);
	return err;
}

/* Also after a load without debugfs, which left txqg_dir NULL. */
void txqg_debugfs_exit(void)
{
	debugfs_remove_recursive(txqg_dir);
}
