/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86_64 ftrace attachment's direct-call trampolines (attach_ftrace.c):
 * register_ftrace_direct() turns a guarded function's "call __fentry__" into
 * a call of one of these. Each keeps the function's argument registers for
 * it, calls its guard's C handler with them (the handler sees the function's
 * own arguments), and either returns into the function, or, when the handler
 * returns true, drops the return address into it and returns to the
 * function's caller: the function is skipped, as upstream's do_output() skips
 * ovs_vport_send(). The fentry call is the function's first instruction, so
 * nothing of the function's own frame exists yet to unwind.
 *
 * Every function they guard takes three arguments, and so does the
 * self-test's: netdev_pick_tx(dev, skb, sb_dev), netdev_core_pick_tx(dev,
 * skb, sb_dev), ovs_vport_send(vport, skb, mac_proto). Only %rdi, %rsi and
 * %rdx are live at their entry; the other caller-saved registers are the
 * function's to clobber anyway. Saving no more is three pushes and pops less
 * on every guarded packet.
 */
#include <linux/linkage.h>
#include <asm/unwind_hints.h>

.macro TXQG_TRAMP name, handler
SYM_FUNC_START(\name)
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	call	\handler
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rbp
	testb	%al, %al
	jnz	1f
	RET
1:	addq	$8, %rsp
	/* Now as at the entry of a function the caller called. */
	UNWIND_HINT_FUNC
	RET
SYM_FUNC_END(\name)
.endm

TXQG_TRAMP txqg_tramp_txhash, txqg_direct_txhash
TXQG_TRAMP txqg_tramp_ovs, txqg_direct_ovs
TXQG_TRAMP txqg_tramp_selftest, txqg_direct_selftest
