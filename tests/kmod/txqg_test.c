// SPDX-License-Identifier: GPL-2.0
/*
 * txqg_test: what the VM scenarios need a kernel to do that txqguard must not
 * do itself, from files of this module's own, so that nothing a test holds
 * open pins txqguard. Test kernels only; never shipped.
 *
 * Each knob is a parameter, /sys/module/txqg_test/parameters/<knob>, which
 * works on a kernel booted with debugfs=off, and where debugfs exists also
 * /sys/kernel/debug/txqg_test/<knob>; both run the same code. A parameter
 * write holds this module's parameter lock until it returns: the other
 * parameters wait meanwhile, the debugfs files do not.
 *
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
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define HOLD_MAX_MS 10000
/* The longest value a knob takes or shows: a function name and a newline. */
#define KNOB_BUF (KSYM_NAME_LEN + 1)

struct knob {
	const char *name;
	umode_t mode;
	int (*set)(const char *val);
	/* Fills at most KNOB_BUF bytes, NUL included; NULL for a write-only knob. */
	int (*get)(char *buf);
};

static struct dentry *dir;
static unsigned long (*lookup_name)(const char *name);
/*
 * From the end of init to exit. Parameters given to insmod are set before
 * init, when nothing a knob needs exists yet; and a parameter's sysfs file
 * outlives exit, which must not leave an ipmodify ops registered behind it.
 */
static bool live;

static int parse_ms(const char *val, unsigned int *ms)
{
	int err = kstrtouint(val, 0, ms);

	if (err)
		return err;
	return *ms >= 1 && *ms <= HOLD_MAX_MS ? 0 : -EINVAL;
}

static int hold_rtnl(const char *val)
{
	unsigned int ms;
	int err = parse_ms(val, &ms);

	if (err)
		return err;
	rtnl_lock();
	pr_info("holding RTNL for %u ms\n", ms);
	msleep(ms);
	rtnl_unlock();
	pr_info("RTNL released\n");
	return 0;
}

typedef void (*ovs_lock_fn)(void);

static int hold_ovs(const char *val)
{
	ovs_lock_fn lock, unlock;
	unsigned int ms;
	int err = parse_ms(val, &ms);

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
	return err;
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

static int ipmodify_set(const char *val)
{
	char buf[KSYM_NAME_LEN];
	char *name;
	int err = 0;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	name = strim(buf);
	/* An empty filter would be every function. */
	if (!*name)
		return -EINVAL;
	mutex_lock(&ipmodify_lock);
	ipmodify_drop_locked();
	if (!live) {
		err = -ENODEV;
	} else if (strcmp(name, "-")) {
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
	return err;
}

static int ipmodify_get(char *buf)
{
	int n;

	mutex_lock(&ipmodify_lock);
	n = scnprintf(buf, KNOB_BUF, "%s\n", ipmodify_func[0] ? ipmodify_func : "-");
	mutex_unlock(&ipmodify_lock);
	return n;
}

static const struct knob knob_hold_rtnl = {
	.name = "hold_rtnl_ms", .mode = 0200, .set = hold_rtnl,
};

static const struct knob knob_hold_ovs = {
	.name = "hold_ovs_lock_ms", .mode = 0200, .set = hold_ovs,
};

static const struct knob knob_ipmodify = {
	.name = "ipmodify", .mode = 0600, .set = ipmodify_set, .get = ipmodify_get,
};

static const struct knob *const knobs[] = {
	&knob_hold_rtnl, &knob_hold_ovs, &knob_ipmodify,
};

static int knob_param_set(const char *val, const struct kernel_param *kp)
{
	const struct knob *k = kp->arg;

	if (!READ_ONCE(live)) {
		pr_err("%s acts at run time: write it under /sys/module/%s/parameters/\n",
		       k->name, KBUILD_MODNAME);
		return -EINVAL;
	}
	return k->set(val);
}

static int knob_param_get(char *buf, const struct kernel_param *kp)
{
	const struct knob *k = kp->arg;

	return k->get ? k->get(buf) : -EPERM;
}

static const struct kernel_param_ops knob_param_ops = {
	.set = knob_param_set,
	.get = knob_param_get,
};

module_param_cb(hold_rtnl_ms, &knob_param_ops, (void *)&knob_hold_rtnl, 0200);
MODULE_PARM_DESC(hold_rtnl_ms, "write N: hold RTNL for N ms (1..10000)");
module_param_cb(hold_ovs_lock_ms, &knob_param_ops, (void *)&knob_hold_ovs, 0200);
MODULE_PARM_DESC(hold_ovs_lock_ms, "write N: hold openvswitch's ovs_lock for N ms (1..10000)");
module_param_cb(ipmodify, &knob_param_ops, (void *)&knob_ipmodify, 0600);
MODULE_PARM_DESC(ipmodify, "write a function name: an IPMODIFY ftrace_ops owns it; \"-\" removes it");

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	const struct knob *k = file->private_data;
	char buf[KNOB_BUF];
	int err;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	err = k->set(buf);
	return err ?: len;
}

static ssize_t knob_read(struct file *file, char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	const struct knob *k = file->private_data;
	char buf[KNOB_BUF];
	int n;

	if (!k->get)
		return -EINVAL;
	n = k->get(buf);
	if (n < 0)
		return n;
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = knob_read,
	.write = knob_write,
	.llseek = default_llseek,
};

static int __init txqg_test_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err = register_kprobe(&kp);
	unsigned int i;

	if (err)
		return err;
	lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	dir = debugfs_create_dir("txqg_test", NULL);
	if (IS_ERR(dir)) {
		pr_info("no debugfs (%ld): the knobs are in /sys/module/%s/parameters/ only\n",
			PTR_ERR(dir), KBUILD_MODNAME);
	} else {
		for (i = 0; i < ARRAY_SIZE(knobs); i++)
			debugfs_create_file(knobs[i]->name, knobs[i]->mode, dir,
					    (void *)knobs[i], &knob_fops);
	}
	WRITE_ONCE(live, true);
	return 0;
}

static void __exit txqg_test_exit(void)
{
	debugfs_remove_recursive(dir);
	mutex_lock(&ipmodify_lock);
	WRITE_ONCE(live, false);
	ipmodify_drop_locked();
	mutex_unlock(&ipmodify_lock);
}

module_init(txqg_test_init);
module_exit(txqg_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("txqguard test helper: holds locks and hooks functions for the VM scenarios");
