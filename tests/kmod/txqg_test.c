// SPDX-License-Identifier: GPL-2.0
/*
 * txqg_test: what the VM scenarios need a kernel to do that txqguard must not
 * do itself, from files of this module's own, so that nothing a test holds
 * open pins txqguard. Test kernels only; never shipped.
 *
 * /sys/kernel/debug/txqg_test/
 *   hold_rtnl_ms       write N: hold RTNL for N ms (1..10000). A module whose
 *                      init registers rtnl link ops (openvswitch) then waits
 *                      in MODULE_STATE_COMING until it is released.
 *   hold_ovs_lock_ms   write N: hold openvswitch's ovs_lock for N ms, which
 *                      keeps a dying port's vport in its datapath.
 *   ipmodify           write a function name: an ftrace_ops of ours that
 *                      may change the return address (FTRACE_OPS_FL_IPMODIFY,
 *                      as a live patch has) owns it, doing nothing; write "-"
 *                      to remove it. Read: the function owned, or "-".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define HOLD_MAX_MS 10000

static struct dentry *dir;
static unsigned long (*lookup_name)(const char *name);

static int read_ms(const char __user *ubuf, size_t len, unsigned int *ms)
{
	int err = kstrtouint_from_user(ubuf, len, 0, ms);

	if (err)
		return err;
	return *ms >= 1 && *ms <= HOLD_MAX_MS ? 0 : -EINVAL;
}

static ssize_t hold_rtnl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	unsigned int ms;
	int err = read_ms(ubuf, len, &ms);

	if (err)
		return err;
	rtnl_lock();
	pr_info("holding RTNL for %u ms\n", ms);
	msleep(ms);
	rtnl_unlock();
	pr_info("RTNL released\n");
	return len;
}

typedef void (*ovs_lock_fn)(void);

static ssize_t hold_ovs_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	ovs_lock_fn lock, unlock;
	unsigned int ms;
	int err = read_ms(ubuf, len, &ms);

	if (err)
		return err;
	if (!__symbol_get("ovs_netdev_link"))
		return -ENODEV;
	lock = (void *)lookup_name("openvswitch:ovs_lock");
	unlock = (void *)lookup_name("openvswitch:ovs_unlock");
	if (lock && unlock) {
		lock();
		pr_info("holding ovs_lock for %u ms\n", ms);
		msleep(ms);
		unlock();
		pr_info("ovs_lock released\n");
	} else {
		err = -ENOENT;
	}
	__symbol_put("ovs_netdev_link");
	return err ?: len;
}

static DEFINE_MUTEX(ipmodify_lock);
static char ipmodify_func[KSYM_NAME_LEN];

static void notrace ipmodify_cb(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *op, void *regs)
{
}

static struct ftrace_ops ipmodify_ops = {
	.func = (ftrace_func_t)ipmodify_cb,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static void ipmodify_drop_locked(void)
{
	if (!ipmodify_func[0])
		return;
	unregister_ftrace_function(&ipmodify_ops);
	ftrace_set_filter(&ipmodify_ops, NULL, 0, 1);
	pr_info("ipmodify: released %s\n", ipmodify_func);
	ipmodify_func[0] = '\0';
}

static ssize_t ipmodify_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char name[KSYM_NAME_LEN];
	int err;

	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, len))
		return -EFAULT;
	name[len] = '\0';
	strim(name);
	mutex_lock(&ipmodify_lock);
	ipmodify_drop_locked();
	err = 0;
	if (strcmp(name, "-")) {
		err = ftrace_set_filter(&ipmodify_ops, name, strlen(name), 1);
		if (!err)
			err = register_ftrace_function(&ipmodify_ops);
		if (err) {
			ftrace_set_filter(&ipmodify_ops, NULL, 0, 1);
		} else {
			strscpy(ipmodify_func, name, sizeof(ipmodify_func));
			pr_info("ipmodify: an IPMODIFY ftrace_ops owns %s\n", name);
		}
	}
	mutex_unlock(&ipmodify_lock);
	return err ?: len;
}

static ssize_t ipmodify_read(struct file *file, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	char buf[KSYM_NAME_LEN + 1];
	int n;

	mutex_lock(&ipmodify_lock);
	n = scnprintf(buf, sizeof(buf), "%s\n", ipmodify_func[0] ? ipmodify_func : "-");
	mutex_unlock(&ipmodify_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations hold_rtnl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hold_rtnl_write,
	.llseek = noop_llseek,
};

static const struct file_operations hold_ovs_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hold_ovs_write,
	.llseek = noop_llseek,
};

static const struct file_operations ipmodify_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ipmodify_read,
	.write = ipmodify_write,
	.llseek = default_llseek,
};

static int __init txqg_test_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err = register_kprobe(&kp);

	if (err)
		return err;
	lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	dir = debugfs_create_dir("txqg_test", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("hold_rtnl_ms", 0200, dir, NULL, &hold_rtnl_fops);
	debugfs_create_file("hold_ovs_lock_ms", 0200, dir, NULL, &hold_ovs_fops);
	debugfs_create_file("ipmodify", 0600, dir, NULL, &ipmodify_fops);
	return 0;
}

static void __exit txqg_test_exit(void)
{
	debugfs_remove_recursive(dir);
	mutex_lock(&ipmodify_lock);
	ipmodify_drop_locked();
	mutex_unlock(&ipmodify_lock);
}

module_init(txqg_test_init);
module_exit(txqg_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("txqguard test helper: holds locks and hooks functions for the VM scenarios");
