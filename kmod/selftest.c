// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic reproducer (selftest=1 only). Writing N to
 * selftest/hold_ovs_lock_ms holds Open vSwitch's ovs_lock for N ms. OVS only
 * queues the removal of a vport whose netdev unregisters, and that queued work
 * needs ovs_lock: while it is held, flows keep outputting to a port whose
 * device has already dropped real_num_tx_queues to 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "txqguard.h"

#define HOLD_MAX_MS 10000
#define OVS_PIN_SYMBOL "ovs_netdev_link"

typedef void (*ovs_lock_fn)(void);

static ssize_t hold_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	ovs_lock_fn lock, unlock;
	unsigned int ms;
	int err;

	err = kstrtouint_from_user(ubuf, len, 0, &ms);
	if (err)
		return err;
	if (ms < 1 || ms > HOLD_MAX_MS)
		return -EINVAL;
	if (!__symbol_get(OVS_PIN_SYMBOL))
		return -ENODEV;
	lock = (ovs_lock_fn)txqg_lookup_name("openvswitch:ovs_lock");
	unlock = (ovs_lock_fn)txqg_lookup_name("openvswitch:ovs_unlock");
	if (!lock || !unlock) {
		err = -ENOENT;
		goto out_put;
	}
	pr_info("selftest: holding ovs_lock for %u ms\n", ms);
	lock();
	msleep(ms);
	unlock();
	pr_info("selftest: ovs_lock released\n");
out_put:
	__symbol_put(OVS_PIN_SYMBOL);
	return err ? err : len;
}

static const struct file_operations hold_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hold_write,
	.llseek = noop_llseek,
};

int txqg_selftest_init(struct dentry *dir)
{
	struct dentry *st = debugfs_create_dir("selftest", dir);

	if (IS_ERR(st))
		return PTR_ERR(st);
	debugfs_create_file("hold_ovs_lock_ms", 0200, st, NULL, &hold_fops);
	return 0;
}
