// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/insn_scan.h in user space: the scans the guards run on machine code
 * they do not own must find what is there and nothing else. Fixtures are
 * instruction encodings; the first of each arch is the start of Debian
 * 5.10.223's ovs_vport_send() (openvswitch.ko of 5.10.0-32-amd64/-arm64),
 * where net_device::mtu is at 0x230 and net_device::type (u16) at 0x23c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel_shim.h"
#include "../../kmod/insn_scan.h"

static int failed, run;

#define CHECK(what, expr)						\
	do {								\
		run++;							\
		if (expr) {						\
			printf("ok %d - %s\n", run, what);		\
		} else {						\
			printf("not ok %d - %s\n", run, what);		\
			failed++;					\
		}							\
	} while (0)

static const u8 x86_vport_send[] = {
	0xe8, 0x00, 0x00, 0x00, 0x00,		/* call __fentry__ */
	0x41, 0x54,				/* push %r12 */
	0x55,					/* push %rbp */
	0x48, 0x89, 0xf5,			/* mov %rsi,%rbp */
	0x53,					/* push %rbx */
	0x48, 0x8b, 0x07,			/* mov (%rdi),%rax */
	0x48, 0x89, 0xfb,			/* mov %rdi,%rbx */
	0x0f, 0xb7, 0x88, 0x3c, 0x02, 0x00, 0x00,	/* movzwl 0x23c(%rax),%ecx */
	0x44, 0x8b, 0xa0, 0x30, 0x02, 0x00, 0x00,	/* mov 0x230(%rax),%r12d */
	0x66, 0x83, 0xf9, 0x01,			/* cmp $0x1,%cx */
	0x74, 0x6f,				/* je */
};

/* The same with %rsi in place of %rdi: the second argument's word. */
static const u8 x86_arg1[] = {
	0x48, 0x8b, 0x06,			/* mov (%rsi),%rax */
	0x44, 0x8b, 0xa0, 0x30, 0x02, 0x00, 0x00,	/* mov 0x230(%rax),%r12d */
	0x90, 0x90, 0x90, 0x90,
};

/* %rdi copied to %r13 first, then the word loaded into %r14 and read through it. */
static const u8 x86_copied[] = {
	0x49, 0x89, 0xfd,			/* mov %rdi,%r13 */
	0x4d, 0x8b, 0x75, 0x00,			/* mov 0x0(%r13),%r14 */
	0x45, 0x8b, 0x86, 0x30, 0x02, 0x00, 0x00,	/* mov 0x230(%r14),%r8d */
	0x90, 0x90, 0x90, 0x90,
};

/* The field read through another register than the one the word went to. */
static const u8 x86_other_reg[] = {
	0x48, 0x8b, 0x07,			/* mov (%rdi),%rax */
	0x8b, 0x81, 0x30, 0x02, 0x00, 0x00,	/* mov 0x230(%rcx),%eax */
	0x90, 0x90, 0x90, 0x90,
};

static const u32 a64_vport_send[] = {
	0xd503201f,	/* nop */
	0xd503201f,	/* nop */
	0xd503233f,	/* paciasp */
	0xa9bd7bfd,	/* stp x29, x30, [sp, #-48]! */
	0x12001c42,	/* and w2, w2, #0xff */
	0x910003fd,	/* mov x29, sp */
	0xa90153f3,	/* stp x19, x20, [sp, #16] */
	0xaa0103f3,	/* mov x19, x1 */
	0xaa0003f4,	/* mov x20, x0 */
	0xf90013f5,	/* str x21, [sp, #32] */
	0xf9400001,	/* ldr x1, [x0] */
	0x79447824,	/* ldrh w4, [x1, #572] */
	0xb9423035,	/* ldr w21, [x1, #560] */
};

/* x0 copied to x20, the word loaded through the copy, the field read unscaled. */
static const u32 a64_copied[] = {
	0xaa0003f4,	/* mov x20, x0 */
	0xf9400281,	/* ldr x1, [x20] */
	0xb8410022,	/* ldur w2, [x1, #16] */
};

/* The second argument's word. */
static const u32 a64_arg1[] = {
	0xf9400021,	/* ldr x1, [x1] */
	0xb9423035,	/* ldr w21, [x1, #560] */
};

/* The word in %rax, the field read through %r8: same low register bits, REX.B apart. */
static const u8 x86_rex_b[] = {
	0x48, 0x8b, 0x07,			/* mov (%rdi),%rax */
	0x41, 0x8b, 0x80, 0x30, 0x02, 0x00, 0x00,	/* mov 0x230(%r8),%eax */
	0x90, 0x90, 0x90, 0x90,
};

int main(void)
{
	u32 le[sizeof(a64_vport_send) / 4];
	unsigned int i;

	CHECK("x86: ovs_vport_send reads net_device::mtu through vport's first word",
	      txqg_x86_reads_field_of_arg0(x86_vport_send, sizeof(x86_vport_send), 0x230));
	CHECK("x86: no 32-bit read at 0x234",
	      !txqg_x86_reads_field_of_arg0(x86_vport_send, sizeof(x86_vport_send), 0x234));
	CHECK("x86: the 16-bit read of net_device::type is not a 32-bit field read",
	      !txqg_x86_reads_field_of_arg0(x86_vport_send, sizeof(x86_vport_send), 0x23c));
	CHECK("x86: a field read through the second argument's word does not count",
	      !txqg_x86_reads_field_of_arg0(x86_arg1, sizeof(x86_arg1), 0x230));
	CHECK("x86: copies of %rdi are followed (REX.B bases, [r13] as disp8 0)",
	      txqg_x86_reads_field_of_arg0(x86_copied, sizeof(x86_copied), 0x230));
	CHECK("x86: a read through another register does not count",
	      !txqg_x86_reads_field_of_arg0(x86_other_reg, sizeof(x86_other_reg), 0x230));
	CHECK("x86: %r8 is not %rax",
	      !txqg_x86_reads_field_of_arg0(x86_rex_b, sizeof(x86_rex_b), 0x230));
	CHECK("x86: a text too short for the load finds nothing",
	      !txqg_x86_reads_field_of_arg0(x86_vport_send, 14, 0x230));
	CHECK("x86: the call at the entry targets addr + 5",
	      txqg_x86_calls(x86_vport_send, 0x1000, sizeof(x86_vport_send), 0x1005));
	CHECK("x86: and nothing else",
	      !txqg_x86_calls(x86_vport_send, 0x1000, sizeof(x86_vport_send), 0x1006));

	for (i = 0; i < sizeof(le) / 4; i++)
		le[i] = htole32(a64_vport_send[i]);
	CHECK("arm64: ovs_vport_send reads net_device::mtu through vport's first word",
	      txqg_a64_reads_field_of_arg0(le, sizeof(le), 560));
	CHECK("arm64: no 32-bit read at 564",
	      !txqg_a64_reads_field_of_arg0(le, sizeof(le), 564));
	CHECK("arm64: the 16-bit read of net_device::type is not a 32-bit field read",
	      !txqg_a64_reads_field_of_arg0(le, sizeof(le), 572));
	le[0] = htole32(a64_copied[0]);
	le[1] = htole32(a64_copied[1]);
	le[2] = htole32(a64_copied[2]);
	CHECK("arm64: copies of x0 are followed, unscaled offsets read",
	      txqg_a64_reads_field_of_arg0(le, 12, 16));
	le[0] = htole32(a64_arg1[0]);
	le[1] = htole32(a64_arg1[1]);
	CHECK("arm64: a field read through the second argument's word does not count",
	      !txqg_a64_reads_field_of_arg0(le, 8, 560));
	le[0] = htole32(0x94000004);	/* bl .+16 */
	CHECK("arm64: bl's target is found", txqg_a64_calls(le, 0x2000, 4, 0x2010));
	CHECK("arm64: and nothing else", !txqg_a64_calls(le, 0x2000, 4, 0x2014));

	printf("insn_scan: %d of %d checks passed\n", run - failed, run);
	return failed ? 1 : 0;
}
