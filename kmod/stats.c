// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>

#include "txqguard.h"

struct txqg_pcpu __percpu *txqg_pcpu;

int txqg_stats_init(void)
{
	txqg_pcpu = alloc_percpu(struct txqg_pcpu);
	return txqg_pcpu ? 0 : -ENOMEM;
}

void txqg_stats_exit(void)
{
	free_percpu(txqg_pcpu);
	txqg_pcpu = NULL;
}

u64 txqg_counter_read(enum txqguard_counter ctr)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(txqg_pcpu, cpu)->ctr[ctr]);
	return sum;
}
