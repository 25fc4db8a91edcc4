// SPDX-License-Identifier: GPL-2.0
/*
 * The two things a guard needs that differ by architecture: recognising a
 * direct call in a function's text, and returning from a probed function
 * without running it.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <asm/unaligned.h>

#include "txqguard.h"

#if defined(CONFIG_X86_64)
/*
 * The function a skipped call "returns through": a probe handler points the
 * instruction pointer here and the compiler's own return sequence (ret, or the
 * return thunk on retbleed-mitigated kernels) pops the caller's address.
 */
static noinline notrace void txqg_return_stub(void)
{
	barrier();
}

/*
 * A byte scan, not a decoder: a hit needs an E8 opcode followed by the exact
 * 32-bit displacement to @callee, which chance does not produce.
 */
bool txqg_arch_calls(unsigned long caller, unsigned long size,
		     unsigned long callee)
{
	const u8 *text = (const u8 *)caller;
	unsigned long i;

	for (i = 0; i + 5 <= size; i++) {
		s32 rel;

		if (text[i] != 0xe8)
			continue;
		rel = get_unaligned((const s32 *)(text + i + 1));
		if (caller + i + 5 + (long)rel == callee)
			return true;
	}
	return false;
}

/*
 * Both a kprobe on ftrace and an ftrace_ops resume at regs->ip with the stack
 * as it was at the function's entry, the caller's address on top.
 */
void notrace txqg_arch_skip_function(struct pt_regs *regs)
{
	regs->ip = (unsigned long)txqg_return_stub;
}
NOKPROBE_SYMBOL(txqg_arch_skip_function);
#elif defined(CONFIG_ARM64)
bool txqg_arch_calls(unsigned long caller, unsigned long size,
		     unsigned long callee)
{
	const u32 *text = (const u32 *)caller;
	unsigned long i;

	for (i = 0; i < size / 4; i++) {
		u32 insn = le32_to_cpu(text[i]);
		long off;

		if ((insn & 0xfc000000) != 0x94000000)	/* BL imm26 */
			continue;
		off = sign_extend64((insn & 0x03ffffff) << 2, 27);
		if (caller + i * 4 + off == callee)
			return true;
	}
	return false;
}

/*
 * At the entry of a function the return address is still in x30. Under a
 * breakpoint that is the trapped x30; under ftrace with regs the patched
 * "mov x9, lr; bl ftrace_regs_caller" saves the caller's lr (x9) as regs[30],
 * and the trampoline returns to regs->pc with x30 reloaded from there
 * (arch/arm64/kernel/entry-ftrace.S), so both resume in the caller.
 */
void notrace txqg_arch_skip_function(struct pt_regs *regs)
{
	instruction_pointer_set(regs, regs->regs[30]);
}
NOKPROBE_SYMBOL(txqg_arch_skip_function);
#else
#error "txqguard supports x86_64 and arm64"
#endif
