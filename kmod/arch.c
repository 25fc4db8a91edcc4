// SPDX-License-Identifier: GPL-2.0
/*
 * The things a guard needs that differ by architecture: reading machine code
 * it does not own (insn_scan.h), and returning from a probed function without
 * running it.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <asm/unaligned.h>

#include "insn_scan.h"
#include "txqguard.h"

/*
 * The function a skipped call "returns through": a probe handler points the
 * instruction pointer here and the compiler's own return sequence (x86: ret,
 * or the return thunk on retbleed-mitigated kernels, popping the caller's
 * address; arm64: ret to x30) takes it back to the caller. Returning through a
 * real return, rather than jumping to the caller's address, keeps the
 * function_graph tracer's shadow stack in step: where it hooked the skipped
 * call's return address (arm64's ftrace_graph_caller runs after the ops and
 * hooks x30), the stub returns through its return_to_handler, which pops the
 * entry it pushed.
 */
static noinline notrace void txqg_return_stub(void)
{
	barrier();
}

#if defined(CONFIG_X86_64)
bool txqg_arch_calls(unsigned long caller, unsigned long size,
		     unsigned long callee)
{
	return txqg_x86_calls((const u8 *)caller, caller, size, callee);
}

bool txqg_arch_reads_field_of_arg0(unsigned long func, unsigned long size,
				   unsigned int field_off)
{
	return txqg_x86_reads_field_of_arg0((const u8 *)func, size, field_off);
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
	return txqg_a64_calls((const u32 *)caller, caller, size, callee);
}

bool txqg_arch_reads_field_of_arg0(unsigned long func, unsigned long size,
				   unsigned int field_off)
{
	return txqg_a64_reads_field_of_arg0((const u32 *)func, size, field_off);
}

/*
 * At the entry of a function the return address is still in x30. Under a
 * breakpoint that is the trapped x30; under ftrace with regs the patched
 * "mov x9, lr; bl ftrace_regs_caller" saves the caller's lr (x9) as regs[30],
 * and the trampoline resumes at regs->pc with x30 reloaded from there
 * (arch/arm64/kernel/entry-ftrace.S), so the stub's ret goes to the caller, or
 * to the graph tracer's return_to_handler where it hooked x30 meanwhile.
 * Resuming at regs[30] itself left that hook's entry on the shadow stack, for
 * the caller's own return to pop ("Bad frame pointer", WARN in
 * ftrace_return_to_handler).
 */
void notrace txqg_arch_skip_function(struct pt_regs *regs)
{
	instruction_pointer_set(regs, (unsigned long)txqg_return_stub);
}
NOKPROBE_SYMBOL(txqg_arch_skip_function);
#else
#error "txqguard supports x86_64 and arm64"
#endif
