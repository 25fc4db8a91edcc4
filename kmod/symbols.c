// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses of kernel symbols this module does not own. kallsyms_lookup_name()
 * is not exported since 5.7; registering a kprobe on it is the documented way
 * kprobes resolve a name, and yields its address once, at load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "txqguard.h"

static unsigned long (*lookup_name)(const char *name);

int txqg_symbols_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot resolve kallsyms_lookup_name through kprobes (%d): kernel without CONFIG_KPROBES or CONFIG_KALLSYMS?\n",
		       err);
		return err;
	}
	lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

unsigned long txqg_lookup_name(const char *name)
{
	return lookup_name(name);
}

/* The size kallsyms records for the symbol at @addr, from "name+off/size". */
unsigned long txqg_symbol_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size;
	char *slash, *end;

	sprint_symbol(buf, addr);
	slash = strchr(buf, '/');
	if (!slash)
		return 0;
	end = strchr(slash, ' ');
	if (end)
		*end = '\0';
	if (kstrtoul(slash + 1, 0, &size))
		return 0;
	return size;
}
