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
 * They keep all six argument registers, not only the three that
 * netdev_pick_tx(dev, skb, sb_dev), netdev_core_pick_tx(dev, skb, sb_dev)
 * and ovs_vport_send(vport, skb, mac_proto) take upstream: a vendor kernel
 * that adds an argument to one of them (a backport) passes it in %rcx, %r8
 * or %r9, which the C handler is free to clobber. The load-time self-test
 * (txqg_ftrace_selftest()) lets a six-argument call through a handler that
 * clobbers them and refuses to load if one is lost.
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
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	call	\handler
	popq	%r9
	popq	%r8
	popq	%rcx
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
