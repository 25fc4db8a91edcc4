// SPDX-License-Identifier: GPL-2.0
/*
 * txqg_stall: how long each CPU could not run softirqs or tasks. Per online
 * CPU, a pinned softirq hrtimer and a pinned SCHED_FIFO kthread each ask to
 * run every period; the longest lateness of each is kept until reset. Text
 * patching (stop_machine, or the IPIs of text_poke_bp) and anything else
 * that keeps a CPU from them shows up as lateness. Test kernels only.
 *
 * /sys/kernel/debug/txqg_stall/ctl: "start [period_us]", "reset", "stop".
 * /sys/kernel/debug/txqg_stall/max: "cpu N softirq_us S task_us T" per CPU,
 * then "max softirq_us S task_us T".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct stall_cpu {
	struct hrtimer timer;
	struct task_struct *task;
	s64 softirq_max_ns;
	s64 task_max_ns;
};

static DEFINE_PER_CPU(struct stall_cpu, stall);
static DEFINE_MUTEX(ctl_lock);
static ktime_t period;
static bool running;
static struct dentry *dir;

static void note_max(s64 *max, s64 late)
{
	if (late > READ_ONCE(*max))
		WRITE_ONCE(*max, late);
}

static enum hrtimer_restart stall_timer(struct hrtimer *t)
{
	struct stall_cpu *s = container_of(t, struct stall_cpu, timer);
	ktime_t now = ktime_get();

	note_max(&s->softirq_max_ns, ktime_to_ns(ktime_sub(now, hrtimer_get_expires(t))));
	hrtimer_forward(t, now, period);
	return HRTIMER_RESTART;
}

static int stall_thread(void *data)
{
	struct stall_cpu *s = data;

	hrtimer_init(&s->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_SOFT);
	s->timer.function = stall_timer;
	hrtimer_start(&s->timer, period, HRTIMER_MODE_REL_PINNED_SOFT);
	while (!kthread_should_stop()) {
		ktime_t due = ktime_add(ktime_get(), period);

		set_current_state(TASK_INTERRUPTIBLE);
		schedule_hrtimeout_range(&due, 0, HRTIMER_MODE_ABS);
		note_max(&s->task_max_ns, ktime_to_ns(ktime_sub(ktime_get(), due)));
	}
	hrtimer_cancel(&s->timer);
	return 0;
}

static void stall_stop_locked(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct stall_cpu *s = per_cpu_ptr(&stall, cpu);

		if (s->task)
			kthread_stop(s->task);
		s->task = NULL;
	}
	running = false;
}

static void stall_reset(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		WRITE_ONCE(per_cpu_ptr(&stall, cpu)->softirq_max_ns, 0);
		WRITE_ONCE(per_cpu_ptr(&stall, cpu)->task_max_ns, 0);
	}
}

static int stall_start_locked(unsigned int period_us)
{
	int cpu;

	if (running)
		return -EBUSY;
	period = ns_to_ktime((u64)period_us * NSEC_PER_USEC);
	stall_reset();
	for_each_online_cpu(cpu) {
		struct stall_cpu *s = per_cpu_ptr(&stall, cpu);
		struct task_struct *t;

		t = kthread_create(stall_thread, s, "txqg_stall/%d", cpu);
		if (IS_ERR(t)) {
			stall_stop_locked();
			return PTR_ERR(t);
		}
		kthread_bind(t, cpu);
		sched_set_fifo(t);
		s->task = t;
		wake_up_process(t);
	}
	running = true;
	return 0;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	unsigned int period_us = 1000;
	char buf[32], *arg;
	int err = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	arg = strim(buf);
	mutex_lock(&ctl_lock);
	if (!strncmp(arg, "start", 5)) {
		arg = skip_spaces(arg + 5);
		if (*arg && kstrtouint(arg, 0, &period_us))
			err = -EINVAL;
		else if (period_us < 100 || period_us > 100000)
			err = -EINVAL;
		else
			err = stall_start_locked(period_us);
	} else if (!strcmp(arg, "reset")) {
		stall_reset();
	} else if (!strcmp(arg, "stop")) {
		stall_stop_locked();
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&ctl_lock);
	return err ?: len;
}

static int max_show(struct seq_file *m, void *v)
{
	s64 sirq = 0, task = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		struct stall_cpu *s = per_cpu_ptr(&stall, cpu);
		s64 a = READ_ONCE(s->softirq_max_ns), b = READ_ONCE(s->task_max_ns);

		seq_printf(m, "cpu %d softirq_us %lld task_us %lld\n", cpu,
			   a / NSEC_PER_USEC, b / NSEC_PER_USEC);
		sirq = max(sirq, a);
		task = max(task, b);
	}
	seq_printf(m, "max softirq_us %lld task_us %lld\n", sirq / NSEC_PER_USEC,
		   task / NSEC_PER_USEC);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(max);

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ctl_write,
	.llseek = noop_llseek,
};

static int __init stall_init(void)
{
	dir = debugfs_create_dir("txqg_stall", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("ctl", 0200, dir, NULL, &ctl_fops);
	debugfs_create_file("max", 0400, dir, NULL, &max_fops);
	return 0;
}

static void __exit stall_exit(void)
{
	debugfs_remove_recursive(dir);
	mutex_lock(&ctl_lock);
	stall_stop_locked();
	mutex_unlock(&ctl_lock);
}

module_init(stall_init);
module_exit(stall_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("txqguard test helper: per-CPU softirq and task lateness");
