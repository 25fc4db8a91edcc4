/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel helpers kmod/insn_scan.h uses, for building it in user space. */
#ifndef _TXQG_KERNEL_SHIM_H
#define _TXQG_KERNEL_SHIM_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;

#define BIT(n) (1UL << (n))
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define le32_to_cpu(x) le32toh(x)

static inline s32 get_unaligned_s32(const void *p)
{
	s32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}
#define get_unaligned(p) get_unaligned_s32(p)

static inline int64_t sign_extend64(uint64_t value, int index)
{
	int shift = 63 - index;

	return (int64_t)(value << shift) >> shift;
}

static inline s32 sign_extend32(u32 value, int index)
{
	int shift = 31 - index;

	return (s32)(value << shift) >> shift;
}

#endif
