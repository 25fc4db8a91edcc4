// SPDX-License-Identifier: GPL-2.0
/*
 * The field offsets tests/kmod-unit/real-objects.sh needs, from a kernel's own
 * headers: kbuild compiles this to assembly only (kbuild's asm-offsets trick,
 * <linux/kbuild.h>), and the script reads the "->TXQG_..." lines back. Never
 * built into a module.
 */
#include <linux/kbuild.h>
#include <linux/netdevice.h>

void txqg_offsets(void);

void txqg_offsets(void)
{
	OFFSET(TXQG_NET_DEVICE_MTU, net_device, mtu);
}
