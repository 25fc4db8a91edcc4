// SPDX-License-Identifier: GPL-2.0
/*
 * txqg_nop: the control for text patching under traffic. It hooks the two
 * functions txqguard guards, netdev_pick_tx and ovs_vport_send, with handlers
 * that do nothing, through an ftrace_ops of the same flags as txqguard's
 * (attach=ftrace) or a kprobe with the same handlers present (attach=kprobe),
 * and unhooks them at unload.
 * Whatever happens while it comes and goes under a flood happens without any
 * of txqguard's code. Test kernels only; never shipped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>

static char *attach = "ftrace";
module_param(attach, charp, 0444);
MODULE_PARM_DESC(attach, "ftrace (default) or kprobe");

static const char *const targets[] = { "netdev_pick_tx", "ovs_vport_send" };

static void notrace nop_ftrace(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, void *regs)
{
}

static struct ftrace_ops ops[] = {
	{ .func = (ftrace_func_t)nop_ftrace, .flags = FTRACE_OPS_FL_SAVE_REGS },
	{ .func = (ftrace_func_t)nop_ftrace,
	  .flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY },
};

static int nop_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

/* As txqguard's skipping probe has: kprobes-on-ftrace then use their IPMODIFY ops. */
static void nop_post(struct kprobe *kp, struct pt_regs *regs, unsigned long flags)
{
}

static struct kprobe kps[ARRAY_SIZE(targets)];
static bool use_kprobe;
static int armed;

static void nop_unhook(void)
{
	while (armed-- > 0) {
		if (use_kprobe) {
			unregister_kprobe(&kps[armed]);
		} else {
			unregister_ftrace_function(&ops[armed]);
			ftrace_set_filter(&ops[armed], NULL, 0, 1);
		}
	}
}

static int __init nop_init(void)
{
	int err = 0;

	use_kprobe = !strcmp(attach, "kprobe");
	if (!use_kprobe && strcmp(attach, "ftrace"))
		return -EINVAL;
	for (armed = 0; armed < ARRAY_SIZE(targets); armed++) {
		const char *t = targets[armed];

		if (use_kprobe) {
			kps[armed].symbol_name = t;
			kps[armed].pre_handler = nop_pre;
			if (ops[armed].flags & FTRACE_OPS_FL_IPMODIFY)
				kps[armed].post_handler = nop_post;
			err = register_kprobe(&kps[armed]);
		} else {
			err = ftrace_set_filter(&ops[armed], (unsigned char *)t, strlen(t), 1);
			if (!err)
				err = register_ftrace_function(&ops[armed]);
			if (err)
				ftrace_set_filter(&ops[armed], NULL, 0, 1);
		}
		if (err)
			break;
	}
	if (err)
		nop_unhook();
	return err;
}

static void __exit nop_exit(void)
{
	nop_unhook();
}

module_init(nop_init);
module_exit(nop_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Control module: empty hooks on txqguard's two targets");
