// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/insn_scan.h on a real kernel's objects: the bytes of the functions the
 * module reads at arm time, taken from the files the kernel ships, put through
 * the module's own scans (this file includes insn_scan.h as insn_scan_test.c
 * does), one TAP line per check:
 *
 *   ovs_layout     ovs_vport_send() of openvswitch.ko loads its first
 *                  argument's first word and reads net_device::mtu through it
 *                  (probe_ovs.c ovs_layout_check(): else the ovs_output guard
 *                  stays unarmed);
 *   txhash_pick    netdev_core_pick_tx() calls netdev_pick_tx() directly
 *                  (probe_txhash.c txhash_target(): else the guard probes
 *                  netdev_core_pick_tx() instead);
 *   lp_pair        __dev_queue_xmit() calls netdev_core_pick_tx() directly
 *                  (livepatch.c lp_verify(): else the live patch refuses);
 *   lp_size        with --lp-size, the size livepatch.c's verified table gives
 *                  this release is netdev_core_pick_tx()'s size in kallsyms.
 *
 * A pick-site verdict is also put to objdump, an independent decoder, so a
 * scan that would misjudge the bytes fails as surely as one that refuses them.
 *
 *   real_objects --name NAME --arch x86_64|arm64 [--first N] [--expect-refused]
 *                [--ko OPENVSWITCH.KO --mtu OFFSET]
 *                [--vmlinux ELF | --image RAW] [--lp-size BYTES]
 *
 * --ko        an uncompressed openvswitch.ko (ELF relocatable): the function's
 *             offset and size come from its symbol table. Its relocations are
 *             not applied: the call to __fentry__ and the other calls and
 *             global addresses in it read 0. The field read does not depend on
 *             them (its displacement is the compiler's constant), and the check
 *             fails if a relocation touches the instruction its verdict rests on.
 * --vmlinux   an ELF kernel, mapped by its program headers: the openEuler
 *             builds' vmlinux (symbols from its .symtab, each size to the
 *             next symbol, as kallsyms would give it) or the ELF inside an x86
 *             bzImage (no symbol table: kallsyms).
 * --image     an arm64 raw Image (kallsyms): file offset = address - _text,
 *             _stext's offset from the EFI header where kallsyms lacks _text.
 * kallsyms    the compressed tables scripts/kallsyms put in the image itself,
 *             which the module's lookups read: an address is kallsyms_lookup_name()'s
 *             (the first of the name), a size sprint_symbol()'s (the distance
 *             to the next higher address), as the module sees them.
 * --expect-refused  every check is a negative: ok when the module would
 *             refuse (a deliberately wrong layout, a test double).
 *
 * Exit status: 0 when every line is ok, 1 otherwise, 2 on bad usage.
 */
#define _GNU_SOURCE	/* memmem() */
#include <elf.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel_shim.h"
#include "../../kmod/insn_scan.h"

struct blob {
	const u8 *p;
	size_t n;
	const char *path;
};

/* A function's bytes where the module would read them. */
struct func {
	const char *name;
	unsigned long addr, size;
	const u8 *bytes;
	const char *how;	/* where the address and size came from */
};

static const char *kname, *arch;
static bool expect_refused;
static int line_no, failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (!ok)
		failed++;
	printf("%sok %d - %s ", ok ? "" : "not ", ++line_no, kname);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", kname);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static bool is_x86(void)
{
	return !strcmp(arch, "x86_64");
}

static bool load(const char *path, struct blob *b)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	b->path = path;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return false;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	b->p = p;
	b->n = st.st_size;
	return true;
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t rd64(const u8 *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static u16 rd16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

/* ---- ELF64, little-endian (both arches), read in place ---- */

static const Elf64_Ehdr *elf(const struct blob *b)
{
	const Elf64_Ehdr *eh = (const void *)b->p;

	if (b->n < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return NULL;
	if (eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > b->n ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > b->n)
		return NULL;
	return eh;
}

static const Elf64_Shdr *shdr(const struct blob *b, unsigned int i)
{
	const Elf64_Ehdr *eh = elf(b);

	if (!eh || i >= eh->e_shnum)
		return NULL;
	return (const Elf64_Shdr *)(b->p + eh->e_shoff) + i;
}

static bool in_file(const struct blob *b, uint64_t off, uint64_t len)
{
	return off <= b->n && len <= b->n - off;
}

/* The ELF's .symtab and its string table; false when it has none. */
static bool elf_symtab(const struct blob *b, const Elf64_Sym **syms, unsigned long *n,
		       const Elf64_Shdr **strtab)
{
	const Elf64_Ehdr *eh = elf(b);
	const Elf64_Shdr *sym = NULL;
	unsigned long i;

	for (i = 0; eh && i < eh->e_shnum; i++)
		if (shdr(b, i)->sh_type == SHT_SYMTAB)
			sym = shdr(b, i);
	if (!sym || !(*strtab = shdr(b, sym->sh_link)) || !in_file(b, sym->sh_offset, sym->sh_size) ||
	    !in_file(b, (*strtab)->sh_offset, (*strtab)->sh_size))
		return false;
	*syms = (const Elf64_Sym *)(b->p + sym->sh_offset);
	*n = sym->sh_size / sizeof(**syms);
	return true;
}

static const char *sym_name(const struct blob *b, const Elf64_Shdr *strtab, const Elf64_Sym *s)
{
	return s->st_name < strtab->sh_size ? (const char *)b->p + strtab->sh_offset + s->st_name : "";
}

/*
 * The function @name in the ELF's .symtab: the first global definition of
 * that name, else the first local one. Returns the symbol's section index, 0
 * when there is no such symbol, -1 when there is no symbol table.
 */
static int elf_func(const struct blob *b, const char *name, Elf64_Sym *out, int *count)
{
	const Elf64_Shdr *str;
	const Elf64_Sym *s;
	unsigned long i, n;
	bool have = false;

	*count = 0;
	if (!elf_symtab(b, &s, &n, &str))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i].st_shndx == SHN_UNDEF || s[i].st_shndx >= SHN_LORESERVE ||
		    ELF64_ST_TYPE(s[i].st_info) != STT_FUNC || strcmp(sym_name(b, str, &s[i]), name))
			continue;
		++*count;
		if (!have || (ELF64_ST_BIND(out->st_info) == STB_LOCAL &&
			      ELF64_ST_BIND(s[i].st_info) != STB_LOCAL)) {
			*out = s[i];
			have = true;
		}
	}
	return have ? out->st_shndx : 0;
}

/*
 * The size kallsyms would give @f: to the next higher symbol of its section,
 * leaving out what kallsyms leaves out (arm64's $x/$d mapping symbols, .L
 * labels, section and file symbols). st_size where nothing follows.
 */
static unsigned long elf_kallsyms_size(const struct blob *b, const Elf64_Sym *f)
{
	const Elf64_Shdr *str;
	const Elf64_Sym *s;
	unsigned long i, n, next = ~0UL;

	if (!elf_symtab(b, &s, &n, &str))
		return f->st_size;
	for (i = 0; i < n; i++) {
		const char *nm = sym_name(b, str, &s[i]);
		int type = ELF64_ST_TYPE(s[i].st_info);

		if (s[i].st_shndx != f->st_shndx || s[i].st_value <= f->st_value ||
		    s[i].st_value >= next || !*nm || *nm == '$' || !strncmp(nm, ".L", 2) ||
		    type == STT_SECTION || type == STT_FILE)
			continue;
		next = s[i].st_value;
	}
	return next == ~0UL ? f->st_size : next - f->st_value;
}

/* The file bytes of [addr, addr + size) through the program headers. */
static const u8 *elf_at(const struct blob *b, unsigned long addr, unsigned long size)
{
	const Elf64_Ehdr *eh = elf(b);
	const Elf64_Phdr *ph;
	unsigned int i;

	for (i = 0; eh && i < eh->e_phnum; i++) {
		ph = (const Elf64_Phdr *)(b->p + eh->e_phoff) + i;
		if (ph->p_type != PT_LOAD || addr < ph->p_vaddr ||
		    addr - ph->p_vaddr > ph->p_filesz || size > ph->p_filesz - (addr - ph->p_vaddr))
			continue;
		if (!in_file(b, ph->p_offset + (addr - ph->p_vaddr), size))
			return NULL;
		return b->p + ph->p_offset + (addr - ph->p_vaddr);
	}
	return NULL;
}

/* ---- kallsyms: the compressed symbol tables scripts/kallsyms puts in the image ---- */

struct kallsyms {
	u32 num;
	unsigned long *addr;
	char **name;		/* type letter first, as kallsyms stores it */
};

static const u8 *tok[256];

static size_t align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

/*
 * kallsyms_token_table: 256 NUL-terminated tokens in byte order, so the
 * single-character tokens of the ten digits, which every kernel's names use,
 * stand in a row; kallsyms_token_index, 256 u16 offsets into the table, follows
 * it, aligned. Both are checked entry by entry. Returns the index's offset.
 */
static size_t find_tokens(const struct blob *b, size_t *table)
{
	static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
	const u8 *p = b->p, *hit;

	while ((hit = memmem(p, b->n - (p - b->p), digits, sizeof(digits)))) {
		size_t d = hit - b->p, q;

		p = hit + 1;
		for (q = (d + sizeof(digits) + 1) & ~(size_t)1; q + 512 <= b->n &&
		     q < d + sizeof(digits) + 4096; q += 2) {
			size_t t, end, i;
			u16 i0 = rd16(b->p + q + 2 * '0');

			if (rd16(b->p + q) || i0 > d)
				continue;
			t = d - i0;
			for (i = 1; i < 256; i++) {
				u16 o = rd16(b->p + q + 2 * i);

				if (o <= rd16(b->p + q + 2 * (i - 1)) || t + o >= q || b->p[t + o - 1])
					break;
				if (i > '0' && i <= '9' && o != i0 + 2 * (i - '0'))
					break;
			}
			if (i < 256)
				continue;
			end = t + rd16(b->p + q + 510);
			while (end < q && b->p[end])
				end++;
			if (end >= q || q - end > 8)
				continue;
			for (i = 0; i < 256; i++)
				tok[i] = b->p + t + rd16(b->p + q + 2 * i);
			*table = t;
			return q;
		}
	}
	return 0;
}

/* Expand one compressed name into @out (KSYM_NAME_LEN is 128, 512 in 6.1+). */
static void expand(const u8 *data, unsigned int len, char *out, size_t room)
{
	size_t n = 0;

	while (len--) {
		const u8 *t = tok[*data++];

		while (*t && n + 1 < room)
			out[n++] = *t++;
	}
	out[n] = 0;
}

/* One entry of kallsyms_names: a length (one byte, or two from 6.1's big symbols on) and tokens. */
static bool entry(const struct blob *b, size_t *pos, size_t limit, const u8 **data,
		  unsigned int *len)
{
	size_t p = *pos;

	if (p >= limit)
		return false;
	*len = b->p[p++];
	if (*len & 0x80) {
		if (p >= limit)
			return false;
		*len = (*len & 0x7f) | (b->p[p++] << 7);
	}
	if (!*len || *len > limit - p)
		return false;
	*data = b->p + p;
	*pos = p + *len;
	return true;
}

/*
 * kallsyms_num_syms (u32), then kallsyms_names, then kallsyms_markers (u32:
 * the names' offset every 256 symbols), each at an 8-aligned offset; then the
 * token table, in 5.10 right away, from 6.1.y on after kallsyms_seqs_of_names
 * (3 bytes a symbol). A candidate count holds only if walking that many names
 * meets every marker and the markers end where the token table (or the seqs
 * before it) begins. Returns the names' offset; 0 when none holds.
 */
static size_t find_names(const struct blob *b, size_t table, u32 *num, size_t *count_at,
			 size_t *markers)
{
	size_t cand, low = table > (64 << 20) ? table - (64 << 20) : 0;

	for (cand = (table - 16) & ~(size_t)7; cand >= low && cand >= 8; cand -= 8) {
		size_t names = cand + 8, pos = names, m, after;
		u32 want = rd32(b->p + cand), i;

		if (want < 256 || want > (table - names) / 2)
			continue;
		for (i = 0; i < want; i++) {
			const u8 *d;
			unsigned int len;

			if (!entry(b, &pos, table, &d, &len))
				break;
		}
		m = align8(pos);
		if (i < want || m + 4 * ((want + 255) / 256) > table)
			continue;
		after = align8(m + 4 * ((want + 255) / 256));
		if (after != table && align8(after + 3ULL * want) != table)
			continue;
		/* The walk again, against the markers. */
		for (pos = names, i = 0; i < want; i++) {
			const u8 *d;
			unsigned int len;

			if (!(i % 256) && rd32(b->p + m + 4 * (i / 256)) != pos - names)
				break;
			entry(b, &pos, table, &d, &len);
		}
		if (i < want)
			continue;
		*num = want;
		*count_at = cand;
		*markers = m;
		return names;
	}
	return 0;
}

/*
 * kallsyms_offsets (s32 each) and kallsyms_relative_base (u64) come before
 * kallsyms_num_syms in 5.10 and 6.1.y (later kernels moved them past the token
 * index; no kernel here has that). With KALLSYMS_ABSOLUTE_PERCPU (x86_64) a
 * non-negative offset is an absolute per-cpu address and a negative one
 * base - 1 - offset; else base + (u32)offset. The table is sorted by address,
 * which the addresses read must show.
 */
static bool read_addresses(const struct blob *b, struct kallsyms *ks, size_t offsets,
			   size_t base_at)
{
	uint64_t base;
	bool neg = false;
	u32 i;

	if (!in_file(b, offsets, 4ULL * ks->num) || !in_file(b, base_at, 8))
		return false;
	base = rd64(b->p + base_at);
	for (i = 0; i < ks->num; i++)
		if ((s32)rd32(b->p + offsets + 4 * i) < 0)
			neg = true;
	for (i = 0; i < ks->num; i++) {
		s32 o = (s32)rd32(b->p + offsets + 4 * i);

		if (neg)
			ks->addr[i] = o >= 0 ? (unsigned long)o : base - 1 - o;
		else
			ks->addr[i] = base + (u32)o;
		if (i && ks->addr[i] < ks->addr[i - 1])
			return false;
	}
	/* The base is the first relative symbol's address. */
	if (!neg && rd32(b->p + offsets))
		return false;
	return true;
}

static const char *kallsyms_read(const struct blob *b, struct kallsyms *ks)
{
	size_t table, index, names, markers, pos, count_at, rb;
	u32 i;
	char buf[600];

	index = find_tokens(b, &table);
	if (!index)
		return "no kallsyms_token_table/kallsyms_token_index found";
	names = find_names(b, table, &ks->num, &count_at, &markers);
	if (!names)
		return "no kallsyms_num_syms/kallsyms_names/kallsyms_markers found before the token table";
	ks->addr = calloc(ks->num, sizeof(*ks->addr));
	ks->name = calloc(ks->num, sizeof(*ks->name));
	if (!ks->addr || !ks->name)
		return "out of memory";
	rb = count_at - 8;
	if (count_at < 8 || rb < 4ULL * ks->num ||
	    !read_addresses(b, ks, rb - ((4ULL * ks->num + 7) & ~7ULL), rb))
		return "no sorted kallsyms_offsets/kallsyms_relative_base before kallsyms_num_syms";
	pos = names;
	for (i = 0; i < ks->num; i++) {
		const u8 *d;
		unsigned int len;

		entry(b, &pos, markers, &d, &len);
		expand(d, len, buf, sizeof(buf));
		ks->name[i] = strdup(buf);
		if (!ks->name[i])
			return "out of memory";
	}
	return NULL;
}

/*
 * As kallsyms_lookup_name() (the first symbol of that name in address order)
 * and sprint_symbol()'s size (to the next higher address).
 */
static bool kallsyms_func(const struct kallsyms *ks, const char *name, struct func *f, int *count)
{
	u32 i, j;
	bool have = false;

	*count = 0;
	for (i = 0; i < ks->num; i++) {
		if (strcmp(ks->name[i] + 1, name))
			continue;
		++*count;
		if (have)
			continue;
		for (j = i + 1; j < ks->num && ks->addr[j] == ks->addr[i]; j++)
			;
		if (j == ks->num)
			continue;
		f->addr = ks->addr[i];
		f->size = ks->addr[j] - ks->addr[i];
		have = true;
	}
	return have;
}

/* ---- the kernel image: symbols and bytes ---- */

struct kernel {
	struct blob b;
	bool raw;		/* arm64 Image: offset = address - _text */
	bool symtab;
	struct kallsyms ks;
	unsigned long text;	/* _text, for the raw Image */
	const char *err;
};

/*
 * An arm64 Image with the EFI stub is also a PE file whose ".text" section
 * starts in the file where _stext does (efi-header.S: efi_header_end - _head;
 * .text follows the header, aligned). Its file offset, or -1.
 */
static long pe_text_offset(const struct blob *b)
{
	u32 pe, sec, i;
	u16 nsec;

	if (b->n < 0x40 || memcmp(b->p, "MZ", 2))
		return -1;
	pe = rd32(b->p + 0x3c);
	if (!in_file(b, pe, 24) || memcmp(b->p + pe, "PE\0\0", 4))
		return -1;
	nsec = rd16(b->p + pe + 6);
	sec = pe + 24 + rd16(b->p + pe + 20);
	for (i = 0; i < nsec && in_file(b, sec + 40 * i, 40); i++)
		if (!memcmp(b->p + sec + 40 * i, ".text\0\0\0", 8))
			return rd32(b->p + sec + 40 * i + 20);
	return -1;
}

static void kernel_open(struct kernel *k, const char *path, bool raw)
{
	int count;
	Elf64_Sym s;
	struct func t;

	memset(k, 0, sizeof(*k));
	k->raw = raw;
	if (!load(path, &k->b)) {
		k->err = "cannot read it";
		return;
	}
	if (!raw && !elf(&k->b)) {
		k->err = "not a 64-bit little-endian ELF";
		return;
	}
	if (!raw && elf_func(&k->b, "netdev_pick_tx", &s, &count) > 0) {
		k->symtab = true;
		return;
	}
	k->err = kallsyms_read(&k->b, &k->ks);
	if (k->err)
		return;
	if (kallsyms_func(&k->ks, "_text", &t, &count)) {
		k->text = t.addr;
	} else {
		/* arm64 kallsyms starts at _stext: the EFI header says where that is. */
		long off = raw ? pe_text_offset(&k->b) : -1;

		if (off < 0 || !kallsyms_func(&k->ks, "_stext", &t, &count)) {
			k->err = "neither _text in kallsyms nor _stext and an EFI header's .text";
			return;
		}
		diag("no _text in kallsyms: _stext at file offset %#lx (the EFI header's .text section)", off);
		if (t.addr < (unsigned long)off) {
			u32 i;

			/*
			 * arm64 links with --no-apply-dynamic-relocs: relative_base
			 * reads 0 in the file. Every distance holds, which is all a raw
			 * Image and the call scans need: make the addresses offsets
			 * from _text.
			 */
			for (i = 0; i < k->ks.num; i++)
				k->ks.addr[i] += off - t.addr;
			diag("relative_base reads 0 (applied at boot): addresses are offsets from _text");
			t.addr = off;
		}
		k->text = t.addr - off;
	}
}

static bool kernel_func(struct kernel *k, const char *name, struct func *f, const char **why)
{
	int count;

	f->name = name;
	if (k->err) {
		*why = k->err;
		return false;
	}
	if (k->symtab) {
		Elf64_Sym s;

		if (elf_func(&k->b, name, &s, &count) <= 0) {
			*why = "not in the symbol table";
			return false;
		}
		f->addr = s.st_value;
		f->size = elf_kallsyms_size(&k->b, &s);
		f->how = "symtab, to the next symbol";
	} else {
		if (!kallsyms_func(&k->ks, name, f, &count)) {
			*why = "not in kallsyms";
			return false;
		}
		f->how = "kallsyms";
	}
	if (count > 1)
		diag("%s: %d symbols of that name, the first taken (as kallsyms_lookup_name())", name, count);
	f->bytes = k->raw ? (f->addr >= k->text && in_file(&k->b, f->addr - k->text, f->size) ?
			     k->b.p + (f->addr - k->text) : NULL) :
			    elf_at(&k->b, f->addr, f->size);
	if (!f->bytes || !f->size) {
		*why = "its bytes are not in the file";
		return false;
	}
	return true;
}

/* ---- objdump, the independent judge of a pick-site verdict ---- */

static bool word_is(const char *w, size_t len, const char *want)
{
	return len == strlen(want) && !strncmp(w, want, len);
}

/* 1: objdump decodes a direct call from @f to @callee; 0: none; -1: objdump failed. */
static int objdump_calls(const struct func *f, unsigned long callee)
{
	const char *tool = getenv(is_x86() ? "TXQG_OBJDUMP" : "TXQG_OBJDUMP_ARM64");
	char path[] = "/tmp/txqg-real-objects-XXXXXX", cmd[512], line[512];
	int fd, found = 0, lines = 0;
	FILE *out;

	if (!tool)
		tool = is_x86() ? "objdump" : "aarch64-linux-gnu-objdump";
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, f->bytes, f->size) != (ssize_t)f->size) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s -D -b binary -m %s --adjust-vma=%#lx %s 2>/dev/null",
		 tool, is_x86() ? "i386:x86-64" : "aarch64", f->addr, path);
	out = popen(cmd, "r");
	if (!out) {
		unlink(path);
		return -1;
	}
	/* "address:\tbytes\tmnemonic operands" (x86) or "...\tmnemonic\toperands" (arm64). */
	while (fgets(line, sizeof(line), out)) {
		char *insn = strchr(line, '\t'), *op;
		size_t len;

		if (!insn || insn == line || insn[-1] != ':' || !(insn = strchr(insn + 1, '\t')))
			continue;
		lines++;
		insn++;
		len = strcspn(insn, " \t\n");
		op = insn + len + strspn(insn + len, " \t");
		if (!word_is(insn, len, "call") && !word_is(insn, len, "callq") &&
		    !word_is(insn, len, "bl"))
			continue;
		if (!strncmp(op, "0x", 2) && strtoul(op, NULL, 16) == callee)
			found = 1;
	}
	if (pclose(out) || !lines)
		found = -1;
	unlink(path);
	return found;
}

/* ---- the checks ---- */

static bool scan_calls(const struct func *f, unsigned long callee)
{
	bool r;
	u32 *w;

	if (is_x86())
		return txqg_x86_calls(f->bytes, f->addr, f->size, callee);
	/* The module reads its own mapping as u32: give the scan an aligned copy. */
	w = malloc(f->size + 4);
	if (!w)
		return false;
	memcpy(w, f->bytes, f->size);
	r = txqg_a64_calls(w, f->addr, f->size, callee);
	free(w);
	return r;
}

static void check_call(struct kernel *k, const char *check, const char *caller_name,
		       const char *callee_name, const char *then)
{
	struct func caller, callee;
	const char *why;
	bool scan;
	int judge;

	if (!kernel_func(k, caller_name, &caller, &why) || !kernel_func(k, callee_name, &callee, &why)) {
		tap(false, "%s: %s calls %s: cannot read %s: %s", check, caller_name, callee_name,
		    k->err ? "the image" : "a symbol", why);
		return;
	}
	diag("%s at %#lx, %lu bytes (%s); %s at %#lx", caller_name, caller.addr, caller.size,
	     caller.how, callee_name, callee.addr);
	scan = scan_calls(&caller, callee.addr);
	judge = objdump_calls(&caller, callee.addr);
	if (judge < 0) {
		tap(false, "%s: %s calls %s: objdump could not decode it", check, caller_name, callee_name);
		return;
	}
	if (scan != (judge == 1))
		diag("the scan says %s, objdump says %s: the scan misjudges these bytes",
		     scan ? "a call" : "no call", judge ? "a call" : "no call");
	if (expect_refused)
		tap(!scan && !judge, "%s: %s without a direct call of %s is judged so", check, caller_name,
		    callee_name);
	else
		tap(scan && judge == 1, "%s: %s calls %s directly (%s)", check, caller_name, callee_name,
		    then);
}

static bool reads_mtu(const u8 *text, unsigned long size, unsigned int mtu)
{
	bool r;
	u32 *w;

	if (is_x86())
		return txqg_x86_reads_field_of_arg0(text, size, mtu);
	w = malloc(size + 4);
	if (!w)
		return false;
	memcpy(w, text, size);
	r = txqg_a64_reads_field_of_arg0(w, size, mtu);
	free(w);
	return r;
}

/*
 * The relocations of the object's @shndx section within [@from, @to) (offsets
 * in the section): how many, and whether one's field overlaps [@lo, @hi).
 */
static unsigned long relocs_in(const struct blob *b, int shndx, unsigned long from,
			       unsigned long to, unsigned long lo, unsigned long hi, bool *overlap)
{
	unsigned long i, j, n = 0;

	*overlap = false;
	for (i = 0; i < elf(b)->e_shnum; i++) {
		const Elf64_Shdr *r = shdr(b, i);
		const Elf64_Rela *ra;

		if (r->sh_type != SHT_RELA || r->sh_info != (unsigned int)shndx ||
		    !in_file(b, r->sh_offset, r->sh_size))
			continue;
		ra = (const Elf64_Rela *)(b->p + r->sh_offset);
		for (j = 0; j < r->sh_size / sizeof(*ra); j++) {
			unsigned long at = ra[j].r_offset, type = ELF64_R_TYPE(ra[j].r_info);
			unsigned long width = type == R_X86_64_64 || type == R_AARCH64_ABS64 ? 8 : 4;

			if (at < from || at >= to)
				continue;
			n++;
			if (at < hi && at + width > lo)
				*overlap = true;
		}
	}
	return n;
}

static void check_ovs(const char *ko, unsigned int mtu)
{
	struct blob b;
	const Elf64_Shdr *sec;
	Elf64_Sym s;
	int count, shndx;
	unsigned long off, relocs, lo = 1, hi, insn;
	bool reads, overlap = false;
	const u8 *text;

	if (!load(ko, &b) || !elf(&b)) {
		tap(false, "ovs_layout: cannot read %s as an ELF object", ko);
		return;
	}
	shndx = elf_func(&b, "ovs_vport_send", &s, &count);
	sec = shndx > 0 ? shdr(&b, shndx) : NULL;
	/* In a relocatable object sh_addr is 0 and st_value the offset in the section. */
	if (!sec || sec->sh_type != SHT_PROGBITS || !s.st_size || s.st_value < sec->sh_addr ||
	    s.st_value - sec->sh_addr + s.st_size > sec->sh_size ||
	    !in_file(&b, sec->sh_offset + (s.st_value - sec->sh_addr), s.st_size)) {
		tap(false, "ovs_layout: no ovs_vport_send with bytes in %s", ko);
		return;
	}
	off = s.st_value - sec->sh_addr;
	text = b.p + sec->sh_offset + off;
	reads = reads_mtu(text, s.st_size, mtu);
	hi = s.st_size;
	/*
	 * The loader has not relocated these bytes: the __fentry__ call, the other
	 * calls and the global addresses read 0. The verdict stands only if no
	 * relocation touches the instruction it rests on, the field read that ends
	 * at the shortest length the scan still says yes for (a longer text only
	 * adds candidates).
	 */
	if (reads) {
		while (lo < hi) {
			unsigned long mid = lo + (hi - lo) / 2;

			if (reads_mtu(text, mid, mtu))
				hi = mid;
			else
				lo = mid + 1;
		}
		insn = is_x86() ? 7 : 4;
		insn = lo > insn ? lo - insn : 0;
	} else {
		insn = lo = 0;
	}
	relocs = relocs_in(&b, shndx, off, off + s.st_size, off + insn, off + lo, &overlap);
	diag("ovs_vport_send: %lu bytes (symtab), %lu relocation(s) in them unapplied",
	     (unsigned long)s.st_size, relocs);
	if (reads)
		diag("ovs_vport_send: the field read ends at +%#lx; %s relocation in [+%#lx, +%#lx)", lo,
		     overlap ? "a" : "no", insn, lo);
	if (expect_refused)
		tap(!reads, "ovs_layout: ovs_vport_send judged against net_device::mtu at %#x is refused (ovs_output guard unarmed)",
		    mtu);
	else
		tap(reads && !overlap, "ovs_layout: ovs_vport_send reads net_device::mtu (%#x) through vport->dev (ovs_output guard arms)",
		    mtu);
}

static void check_lp_size(struct kernel *k, unsigned long want)
{
	struct func f;
	const char *why;

	if (!kernel_func(k, "netdev_core_pick_tx", &f, &why)) {
		tap(false, "lp_size: netdev_core_pick_tx: %s", why);
		return;
	}
	tap(f.size == want, "lp_size: netdev_core_pick_tx is %lu bytes in %s, livepatch.c's verified table says %lu",
	    f.size, f.how, want);
}

static void usage(void)
{
	fprintf(stderr, "usage: real_objects --name NAME --arch x86_64|arm64 [--first N] [--expect-refused]\n"
			"                    [--ko OPENVSWITCH.KO --mtu OFFSET] [--vmlinux ELF | --image RAW]\n"
			"                    [--lp-size BYTES]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "arch", required_argument, NULL, 'a' },
		{ "first", required_argument, NULL, 'f' },
		{ "expect-refused", no_argument, NULL, 'r' },
		{ "ko", required_argument, NULL, 'k' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "vmlinux", required_argument, NULL, 'v' },
		{ "image", required_argument, NULL, 'i' },
		{ "lp-size", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ko = NULL, *image = NULL;
	long mtu = -1, lp_size = -1;
	bool raw = false;
	struct kernel k;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': kname = optarg; break;
		case 'a': arch = optarg; break;
		case 'f': line_no = atoi(optarg) - 1; break;
		case 'r': expect_refused = true; break;
		case 'k': ko = optarg; break;
		case 'm': mtu = strtol(optarg, NULL, 0); break;
		case 'v': image = optarg; raw = false; break;
		case 'i': image = optarg; raw = true; break;
		case 'l': lp_size = strtol(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc || !kname || !arch || (strcmp(arch, "x86_64") && strcmp(arch, "arm64")) ||
	    line_no < 0 || !ko != (mtu < 0) || (!ko && !image) || (lp_size >= 0 && !image))
		usage();
	if (ko)
		check_ovs(ko, mtu);
	if (image) {
		kernel_open(&k, image, raw);
		if (!k.err && !k.symtab)
			diag("kallsyms: %u symbols, _text at %#lx", k.ks.num, k.text);
		check_call(&k, "txhash_pick", "netdev_core_pick_tx", "netdev_pick_tx",
			   "the txhash guard probes netdev_pick_tx");
		check_call(&k, "lp_pair", "__dev_queue_xmit", "netdev_core_pick_tx",
			   "the live patch's replacement is reached");
		if (lp_size >= 0)
			check_lp_size(&k, lp_size);
	}
	return failed ? 1 : 0;
}
