/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guards check in machine code they do not own, for both
 * architectures: whether a function calls another directly, and whether it
 * reads a field through its first argument's first word. Pure functions over
 * a copy of the text, so tests/kmod-unit can run them in user space.
 *
 * These are byte scans, not decoders: a hit needs a complete encoding of
 * exactly the instruction sought, its displacement or target included, which
 * chance does not produce. A miss refuses a guard; it never arms a wrong one.
 */
#ifndef _TXQGUARD_INSN_SCAN_H
#define _TXQGUARD_INSN_SCAN_H

/* x86_64: does the text at @addr call @callee (E8 rel32)? */
static inline bool txqg_x86_calls(const u8 *text, unsigned long addr,
				  unsigned long size, unsigned long callee)
{
	unsigned long i;

	for (i = 0; i + 5 <= size; i++) {
		s32 rel;

		if (text[i] != 0xe8)
			continue;
		rel = get_unaligned((const s32 *)(text + i + 1));
		if (addr + i + 5 + (long)rel == callee)
			return true;
	}
	return false;
}

#define TXQG_X86_SCAN_LOAD 48	/* bytes from the entry to the first word's load */
#define TXQG_X86_SCAN_FIELD 128	/* bytes from there to the field's read */
#define TXQG_X86_RDI 7

/* REX.W + 89/8B with mod=11 copying %rdi into @*dst. */
static inline bool txqg_x86_copies_rdi(const u8 *t, unsigned int *dst)
{
	if ((t[0] & 0xfa) != 0x48)	/* REX.W, maybe R or B */
		return false;
	if (t[1] == 0x89 && (t[2] & 0xf8) == 0xf8 && !(t[0] & 0x04)) {
		*dst = (t[2] & 7) | (t[0] & 0x01 ? 8 : 0);
		return true;
	}
	if (t[1] == 0x8b && (t[2] & 0xc7) == 0xc7 && !(t[0] & 0x01)) {
		*dst = ((t[2] >> 3) & 7) | (t[0] & 0x04 ? 8 : 0);
		return true;
	}
	return false;
}

/* REX.W + 8B: mov (%base),%reg, with [rbp]/[r13] as disp8 0; no SIB forms. */
static inline bool txqg_x86_loads_word0(const u8 *t, u16 bases,
					unsigned int *dst)
{
	unsigned int base;

	if ((t[0] & 0xfa) != 0x48 || t[1] != 0x8b)
		return false;
	base = (t[2] & 7) | (t[0] & 0x01 ? 8 : 0);
	if (!(bases & BIT(base)) || (t[2] & 7) == 4)
		return false;
	if ((t[2] & 7) == 5 ? (t[2] & 0xc0) != 0x40 || t[3] : (t[2] & 0xc0))
		return false;
	*dst = ((t[2] >> 3) & 7) | (t[0] & 0x04 ? 8 : 0);
	return true;
}

/* [REX] 8B/3B/39 with mod=10 (or 01 for a short offset) on @base + @off. */
static inline bool txqg_x86_reads_field(const u8 *t, unsigned int base,
					unsigned int off)
{
	bool rex = (t[0] & 0xf0) == 0x40;
	const u8 *op = t + rex;
	u8 modrm = op[1];

	if (op[0] != 0x8b && op[0] != 0x3b && op[0] != 0x39)
		return false;
	if ((modrm & 7) != (base & 7) || (base & 7) == 4 ||
	    !!(rex && (t[0] & 0x01)) != !!(base & 8))
		return false;
	if ((modrm & 0xc0) == 0x80)
		return get_unaligned((const s32 *)(op + 2)) == (s32)off;
	return (modrm & 0xc0) == 0x40 && off < 0x80 && op[2] == off;
}

/*
 * x86_64: does the function load its first argument's first word (%rdi, or a
 * copy of it made first) into a register and then read a 32-bit field at
 * @off through that register?
 */
static inline bool txqg_x86_reads_field_of_arg0(const u8 *text,
						unsigned long size,
						unsigned int off)
{
	unsigned long i, j, end;
	u16 bases = BIT(TXQG_X86_RDI);
	unsigned int reg;

	for (i = 0; i + 4 <= min_t(unsigned long, size, TXQG_X86_SCAN_LOAD); i++) {
		if (txqg_x86_copies_rdi(text + i, &reg)) {
			bases |= BIT(reg);
			continue;
		}
		if (!txqg_x86_loads_word0(text + i, bases, &reg))
			continue;
		end = min_t(unsigned long, size, i + TXQG_X86_SCAN_FIELD);
		for (j = i + 3; j + 7 <= end; j++) {
			/* An opcode right after a REX byte is that prefix's. */
			if ((text[j] & 0xf0) != 0x40 && (text[j - 1] & 0xf0) == 0x40)
				continue;
			if (txqg_x86_reads_field(text + j, reg, off))
				return true;
		}
	}
	return false;
}

/* arm64: does the text at @addr call @callee (BL imm26)? */
static inline bool txqg_a64_calls(const u32 *text, unsigned long addr,
				  unsigned long size, unsigned long callee)
{
	unsigned long i;

	for (i = 0; i < size / 4; i++) {
		u32 insn = le32_to_cpu(text[i]);
		long off;

		if ((insn & 0xfc000000) != 0x94000000)
			continue;
		off = sign_extend64((insn & 0x03ffffff) << 2, 27);
		if (addr + i * 4 + off == callee)
			return true;
	}
	return false;
}

#define TXQG_A64_SCAN_LOAD 16	/* instructions from the entry to the load */
#define TXQG_A64_SCAN_FIELD 32	/* instructions from there to the field's read */

/* arm64: as txqg_x86_reads_field_of_arg0(), for x0 and its copies. */
static inline bool txqg_a64_reads_field_of_arg0(const u32 *text,
						unsigned long size,
						unsigned int off)
{
	unsigned long n = size / 4, i, j;
	u32 bases = BIT(0);

	for (i = 0; i < min_t(unsigned long, n, TXQG_A64_SCAN_LOAD); i++) {
		u32 insn = le32_to_cpu(text[i]), reg;

		/* mov xd, xn (orr xd, xzr, xn) */
		if ((insn & 0xffe0ffe0) == 0xaa0003e0 &&
		    (bases & BIT((insn >> 16) & 31))) {
			bases |= BIT(insn & 31);
			continue;
		}
		/* ldr xt, [xn] (unsigned offset 0) */
		if ((insn & 0xfffffc00) != 0xf9400000 ||
		    !(bases & BIT((insn >> 5) & 31)))
			continue;
		reg = insn & 31;
		for (j = i + 1; j < min_t(unsigned long, n, i + 1 + TXQG_A64_SCAN_FIELD); j++) {
			u32 f = le32_to_cpu(text[j]);

			if (((f >> 5) & 31) != reg)
				continue;
			/* ldr wt, [xn, #imm12 * 4] */
			if ((f & 0xffc00000) == 0xb9400000 &&
			    ((f >> 10) & 0xfff) * 4 == off)
				return true;
			/* ldur wt, [xn, #imm9] */
			if ((f & 0xffe00c00) == 0xb8400000 &&
			    sign_extend32((f >> 12) & 0x1ff, 8) == (int)off)
				return true;
		}
	}
	return false;
}

#endif /* _TXQGUARD_INSN_SCAN_H */
