// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the ELF checks (crafted headers: every refusal and its
 * message) and of the initial stack's layout.
 */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "elfimage.h"
#include "elfstack.h"
#include "common.h"
#include "test.h"

#define PG	4096
#define FSIZE	0x40000		/* the crafted file's size */

/* A crafted executable: a header and up to 8 program headers after it. */
struct crafted {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[8];
};

/* A PIE like /usr/bin/ls: PHDR, INTERP, R, RX, R, RW with .bss, STACK. */
static void pie(struct crafted *c)
{
	static const Elf64_Phdr ph[] = {
		{ PT_PHDR, PF_R, 0x40, 0x40, 0x40, 7 * 56, 7 * 56, 8 },
		{ PT_INTERP, PF_R, 0x200, 0x200, 0x200, 28, 28, 1 },
		{ PT_LOAD, PF_R, 0, 0, 0, 0x36c0, 0x36c0, PG },
		{ PT_LOAD, PF_R | PF_X, 0x4000, 0x4000, 0x4000, 0x15759,
		  0x15759, PG },
		{ PT_LOAD, PF_R, 0x1a000, 0x1a000, 0x1a000, 0x8ed0, 0x8ed0,
		  PG },
		{ PT_LOAD, PF_R | PF_W, 0x232b0, 0x242b0, 0x242b0, 0x1310,
		  0x25f8, PG },
		{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 },
	};

	memset(c, 0, sizeof(*c));
	memcpy(c->eh.e_ident, ELFMAG, SELFMAG);
	c->eh.e_ident[EI_CLASS] = ELFCLASS64;
	c->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	c->eh.e_ident[EI_VERSION] = EV_CURRENT;
	c->eh.e_type = ET_DYN;
	c->eh.e_machine = EM_X86_64;
	c->eh.e_version = EV_CURRENT;
	c->eh.e_entry = 0x61d0;
	c->eh.e_phoff = 64;
	c->eh.e_ehsize = 64;
	c->eh.e_phentsize = 56;
	c->eh.e_phnum = 7;
	memcpy(c->ph, ph, sizeof(ph));
}

/* Both checks on @c; 0, or -1 with the message in @err. */
static int check(const struct crafted *c, size_t hlen, uint64_t fsize,
		 struct elf_image *img, char *err, size_t errsz)
{
	const unsigned char *b = (const unsigned char *)c;
	unsigned char *copy;
	size_t plen;
	int rc;

	/* exactly the bytes the loader reads: ASan sees any overread */
	copy = malloc(hlen ? hlen : 1);
	if (!copy)
		return -2;
	memcpy(copy, b, hlen);
	rc = elf_parse_header(copy, hlen, fsize, img, err, errsz);
	free(copy);
	if (rc)
		return rc;
	plen = (size_t)img->phnum * 56;
	copy = malloc(plen);
	if (!copy)
		return -2;
	memcpy(copy, b + img->phoff, plen);
	rc = elf_parse_phdrs(img, copy, plen, fsize, PG, err, errsz);
	free(copy);
	return rc;
}

/* @c must be refused with a message containing @msg. */
static void refused(const struct crafted *c, const char *msg, int line)
{
	struct elf_image img;
	char err[256] = "";

	t_check(check(c, sizeof(c->eh), FSIZE, &img, err, sizeof(err)) == -1,
		__FILE__, line, "accepted, want \"%s\"", msg);
	t_check(strstr(err, msg) != NULL, __FILE__, line,
		"\"%s\" contains \"%s\"", err, msg);
}

#define REFUSED(c, msg)	refused(c, msg, __LINE__)

static void test_good_pie(void)
{
	struct crafted c;
	struct elf_image img;
	char err[256];

	pie(&c);
	REQUIRE(check(&c, sizeof(c.eh), FSIZE, &img, err, sizeof(err)) == 0);
	CHECK_U64(img.type, ET_DYN);
	CHECK_U64(img.nseg, 4);
	CHECK_U64(img.seg[1].flags, PF_R | PF_X);
	CHECK_U64(img.seg[3].index, 5);
	CHECK_U64(img.lo, 0);
	CHECK_U64(img.hi, 0x27000);		/* 0x242b0 + 0x25f8, rounded */
	CHECK_U64(img.max_align, PG);
	CHECK(img.has_interp);
	CHECK_U64(img.interp_offset, 0x200);
	CHECK_U64(img.interp_len, 28);
	CHECK_U64(img.phdr_vaddr, 0x40);
	CHECK(!img.exec_stack);
	CHECK_STR(elf_seg_label(&img.seg[0]), "rodata");
	CHECK_STR(elf_seg_label(&img.seg[1]), "text");
	CHECK_STR(elf_seg_label(&img.seg[3]), "data");
	CHECK_U64(elf_seg_start(&img.seg[3], PG), 0x24000);
	CHECK_U64(elf_seg_end(&img.seg[3], PG), 0x27000);
}

static void test_good_static(void)
{
	struct crafted c;
	struct elf_image img;
	char err[256];

	/* like busybox: ET_EXEC, no PT_PHDR (the headers in the first
	 * PT_LOAD), a 2 MiB p_align, an executable stack, a pure .bss */
	pie(&c);
	c.eh.e_type = ET_EXEC;
	c.eh.e_entry = 0x404000;
	c.ph[0].p_type = PT_NULL;
	c.ph[1].p_type = PT_NOTE;
	c.ph[2].p_vaddr = 0x400000;
	c.ph[3].p_vaddr = 0x404000;
	c.ph[3].p_align = 0x200000;
	c.ph[4].p_vaddr = 0x41a000;
	c.ph[5].p_vaddr = 0x4242b0;
	c.ph[6].p_flags |= PF_X;
	c.eh.e_phnum = 8;
	c.ph[7] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0, 0x500000, 0, 0,
				0x3000, PG };
	REQUIRE(check(&c, sizeof(c.eh), FSIZE, &img, err, sizeof(err)) == 0);
	CHECK_U64(img.type, ET_EXEC);
	CHECK_U64(img.nseg, 5);
	CHECK(!img.has_interp);
	CHECK_U64(img.phdr_vaddr, 0x400040);
	CHECK_U64(img.max_align, 0x200000);
	CHECK(img.exec_stack);
	CHECK_U64(img.lo, 0x400000);
	CHECK_U64(img.hi, 0x503000);
	CHECK_STR(elf_seg_label(&img.seg[4]), "bss");
	/* a zero-size PT_LOAD is skipped, not an overlap */
	c.ph[7].p_memsz = 0;
	c.ph[7].p_vaddr = 0x400000;
	REQUIRE(check(&c, sizeof(c.eh), FSIZE, &img, err, sizeof(err)) == 0);
	CHECK_U64(img.nseg, 4);
}

/* One field of the ELF header set to a bad value, and the message. */
struct hcase {
	size_t off, size;
	uint64_t value;
	const char *msg;
};

#define EH(f, v, m) { offsetof(Elf64_Ehdr, f), \
		      sizeof(((Elf64_Ehdr *)0)->f), v, m }

static const struct hcase hcases[] = {
	EH(e_ident[0], '#', "not an ELF file (no ELF magic)"),
	EH(e_ident[EI_CLASS], ELFCLASS32, "wrong class: a 32-bit ELF file"),
	EH(e_ident[EI_CLASS], 7, "wrong class: ELF class 7"),
	EH(e_ident[EI_DATA], ELFDATA2MSB,
	   "wrong byte order: a big-endian ELF file"),
	EH(e_version, 2, "bad ELF version 2"),
	EH(e_machine, EM_AARCH64,
	   "wrong machine: AArch64 (ivma exec runs x86-64 programs)"),
	EH(e_machine, EM_386, "wrong machine: i386"),
	EH(e_machine, 4242, "wrong machine: ELF machine 4242"),
	EH(e_type, ET_REL, "not an executable: a relocatable object file"),
	EH(e_type, ET_CORE, "not an executable: a core dump"),
	EH(e_phentsize, 32, "bad program header size 32 (not 56)"),
	EH(e_phnum, 0, "no program headers"),
	EH(e_phnum, 2000, "too many program headers (2000)"),
	EH(e_phoff, FSIZE - 100, "the program headers (7 at offset 0x3ff9c) "
	   "lie past the end of the file"),
	/* no wrap-around */
	EH(e_phoff, UINT64_MAX - 8, "lie past the end of the file"),
};

static void test_bad_headers(void)
{
	struct crafted c;
	struct elf_image img;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hcases); i++) {
		const struct hcase *h = &hcases[i];

		pie(&c);
		memcpy((char *)&c.eh + h->off, &h->value, h->size);
		refused(&c, h->msg, __LINE__);
	}
	/* shorter than the magic, or than the header */
	pie(&c);
	CHECK(check(&c, 3, 3, &img, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "not an ELF file");
	CHECK(check(&c, 0, 0, &img, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "not an ELF file");
	CHECK(check(&c, 40, 40, &img, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "truncated ELF header (40 of 64 bytes)");
}

/* Up to four fields of program headers set, and the message. */
struct pcase {
	struct {
		int ph;			/* its index; -1: the end */
		size_t off, size;
		uint64_t value;
	} set[4];
	const char *msg;
};

#define PH(i, f, v)	{ i, offsetof(Elf64_Phdr, f), \
			  sizeof(((Elf64_Phdr *)0)->f), v }
#define END		{ -1, 0, 0, 0 }

static const struct pcase pcases[] = {
	{ { PH(5, p_filesz, 0x3000), END },
	  "segment 5: p_filesz 0x3000 > p_memsz 0x25f8" },
	{ { PH(4, p_offset, FSIZE - 0x100),
	    PH(4, p_vaddr, 0x1a000 + ((FSIZE - 0x100) & (PG - 1))), END },
	  "segment 4 [0x3ff00, 0x48dd0) lies past the end of the file "
	  "(262144 bytes)" },
	/* no wrap-around */
	{ { PH(4, p_offset, UINT64_MAX - 0xfff), PH(4, p_vaddr, 0x1a001),
	    END }, "lies past the end of the file" },
	{ { PH(3, p_vaddr, 0x4010), END },
	  "segment 3 is misaligned: p_vaddr 0x4010 and p_offset 0x4000 "
	  "differ modulo the page size (0x1000)" },
	{ { PH(3, p_align, 0x3000), END },
	  "segment 3 is misaligned: p_align 0x3000 is not a power of two" },
	/* inside the text */
	{ { PH(4, p_vaddr, 0x10000), PH(4, p_offset, 0x10000), END },
	  "segments 3 and 4 overlap: [0x4000, 0x19759) and [0x10000, "
	  "0x18ed0)" },
	/* sharing the text's last page */
	{ { PH(4, p_vaddr, 0x19000), PH(4, p_offset, 0x19000), END },
	  "segments 3 and 4 overlap" },
	/* out of order */
	{ { PH(2, p_vaddr, 0x30000), PH(2, p_offset, 0x30000),
	    PH(2, p_filesz, 0x100), PH(2, p_memsz, 0x100) },
	  "segments 2 and 3 overlap" },
	{ { PH(5, p_vaddr, 0x7ffffffff2b0), END },
	  "segment 5 [0x7ffffffff2b0, +0x25f8) lies outside the user "
	  "address space" },
	{ { PH(5, p_memsz, UINT64_MAX), PH(5, p_filesz, 0), END },
	  "lies outside the user address space" },
	{ { PH(2, p_type, PT_NOTE), PH(3, p_type, PT_NOTE),
	    PH(4, p_type, PT_NOTE), PH(5, p_type, PT_NOTE) },
	  "no PT_LOAD segment: nothing to load" },
	/* PT_PHDR in no segment */
	{ { PH(0, p_vaddr, 0x30040), END },
	  "the program headers are not in a loaded segment" },
	/* found by e_phoff, not mapped */
	{ { PH(0, p_type, PT_NULL), PH(2, p_filesz, 0x20),
	    PH(2, p_memsz, 0x20), END },
	  "the program headers are not in a loaded segment" },
	{ { PH(1, p_filesz, 1), END }, "bad PT_INTERP: a path of 1 bytes" },
	{ { PH(1, p_filesz, 5000), END },
	  "bad PT_INTERP: a path of 5000 bytes" },
	{ { PH(1, p_offset, FSIZE - 10), END },
	  "PT_INTERP lies past the end of the file" },
};

static void test_bad_segments(void)
{
	struct crafted c;
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(pcases); i++) {
		const struct pcase *p = &pcases[i];

		pie(&c);
		for (k = 0; k < 4 && p->set[k].ph >= 0; k++)
			memcpy((char *)&c.ph[p->set[k].ph] + p->set[k].off,
			       &p->set[k].value, p->set[k].size);
		refused(&c, p->msg, __LINE__);
	}
	pie(&c);
	c.eh.e_entry = 0x1a100;			/* in rodata */
	REFUSED(&c, "the entry point 0x1a100 is not in an executable "
		"segment");
}

static void test_many_loads(void)
{
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph[ELF_MAX_LOADS + 1];
	} big;
	struct crafted c;
	struct elf_image img;
	char err[256];
	unsigned int i;
	int rc;

	pie(&c);
	memset(&big, 0, sizeof(big));
	big.eh = c.eh;
	big.eh.e_phnum = ELF_MAX_LOADS + 1;
	big.eh.e_entry = 0x100;
	for (i = 0; i <= ELF_MAX_LOADS; i++)
		big.ph[i] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, i * PG,
					  i * PG, i * PG, PG, PG, PG };
	rc = elf_parse_header((const unsigned char *)&big, 64, FSIZE, &img,
			      err, sizeof(err));
	REQUIRE(rc == 0);
	CHECK(elf_parse_phdrs(&img, (const unsigned char *)big.ph,
			      sizeof(big.ph), FSIZE, PG, err,
			      sizeof(err)) == -1);
	CHECK_CONTAINS(err, "too many PT_LOAD segments (at most 32)");
	big.eh.e_phnum = ELF_MAX_LOADS;
	rc = elf_parse_header((const unsigned char *)&big, 64, FSIZE, &img,
			      err, sizeof(err));
	REQUIRE(rc == 0);
	CHECK(elf_parse_phdrs(&img, (const unsigned char *)big.ph,
			      sizeof(big.ph), FSIZE, PG, err,
			      sizeof(err)) == 0);
	CHECK_U64(img.nseg, ELF_MAX_LOADS);
	CHECK_U64(img.hi, ELF_MAX_LOADS * PG);
}

static void test_bad_interp(void)
{
	char err[256];

	CHECK(elf_check_interp("/lib64/ld-linux-x86-64.so.2", 28, err,
			       sizeof(err)) == 0);
	/* a shorter path in the same bytes: up to its first NUL */
	CHECK(elf_check_interp("/lib64/ld\0x", 12, err, sizeof(err)) == 0);
	CHECK(elf_check_interp("/lib64/ldx", 10, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "bad PT_INTERP: not a NUL-terminated path");
	CHECK(elf_check_interp("\0", 1, err, sizeof(err)) == -1);
	CHECK(elf_check_interp("\0\0", 2, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "bad PT_INTERP: an empty path");
}

/* --- the stack --- */

static uint64_t at(const unsigned char *mem, uint64_t vaddr, uint64_t a)
{
	uint64_t v;

	memcpy(&v, mem + (a - vaddr), 8);
	return v;
}

static const char *str_at(const unsigned char *mem, uint64_t vaddr,
			  uint64_t a)
{
	return (const char *)mem + (a - vaddr);
}

static void test_stack_layout(void)
{
	static char *argv[] = { "ls", "-l", "/usr", NULL };
	static char *envp[] = { "PATH=/bin", "HOME=/root", NULL };
	const uint64_t vaddr = 0x7ff000000000ULL;
	const size_t size = 64 * 1024;
	struct elf_auxv av[] = {
		{ AT_PAGESZ, 4096 }, { AT_RANDOM, 0 }, { AT_ENTRY, 0x4000 },
		{ AT_EXECFN, 0 }, { AT_PLATFORM, 0 },
	};
	struct elf_stack_in in = {
		.argv = argv, .argc = 3, .envp = envp, .envc = 2,
		.execfn = "/usr/bin/ls", .platform = "x86_64",
		.auxv = av, .nauxv = 5,
	};
	struct elf_stack_out out;
	unsigned char *mem = calloc(1, size);
	char err[128];
	uint64_t sp, p, i;

	REQUIRE(mem);
	for (i = 0; i < 16; i++)
		in.random[i] = (unsigned char)(0xa0 + i);
	REQUIRE(elf_build_stack(mem, vaddr, size, &in, &out, err,
				sizeof(err)) == 0);
	sp = out.sp;
	CHECK_U64(sp % 16, 0);
	CHECK(sp > vaddr + size - 512 && sp < vaddr + size);
	CHECK_U64(at(mem, vaddr, sp), 3);			/* argc */
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, sp + 8)), "ls");
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, sp + 16)), "-l");
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, sp + 24)), "/usr");
	CHECK_U64(at(mem, vaddr, sp + 32), 0);
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, sp + 40)), "PATH=/bin");
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, sp + 48)), "HOME=/root");
	CHECK_U64(at(mem, vaddr, sp + 56), 0);
	p = sp + 64;
	CHECK_U64(out.auxv, p);
	CHECK_U64(out.auxv_size, 6 * 16);
	CHECK_U64(at(mem, vaddr, p), AT_PAGESZ);
	CHECK_U64(at(mem, vaddr, p + 8), 4096);
	CHECK_U64(at(mem, vaddr, p + 16), AT_RANDOM);
	CHECK(memcmp(str_at(mem, vaddr, at(mem, vaddr, p + 24)), in.random,
		     16) == 0);
	CHECK_U64(at(mem, vaddr, p + 40), 0x4000);
	CHECK_U64(at(mem, vaddr, p + 48), AT_EXECFN);
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, p + 56)), "/usr/bin/ls");
	CHECK_U64(at(mem, vaddr, p + 64), AT_PLATFORM);
	CHECK_STR(str_at(mem, vaddr, at(mem, vaddr, p + 72)), "x86_64");
	CHECK_U64(at(mem, vaddr, p + 80), AT_NULL);
	CHECK_U64(at(mem, vaddr, p + 88), 0);
	/* the strings as execve lays them out: argv, envp, execfn, 8 zeros */
	CHECK_STR(str_at(mem, vaddr, out.arg_start), "ls");
	CHECK_U64(out.arg_end - out.arg_start, sizeof("ls-l/usr") + 2);
	CHECK_U64(out.env_start, out.arg_end);
	CHECK_STR(str_at(mem, vaddr, out.env_start), "PATH=/bin");
	CHECK_U64(out.env_end, vaddr + size - 8 - sizeof("/usr/bin/ls"));
	CHECK_STR(str_at(mem, vaddr, out.env_end), "/usr/bin/ls");
	CHECK_U64(at(mem, vaddr, vaddr + size - 8), 0);
	free(mem);
}

static void test_stack_variants(void)
{
	static char *argv[] = { "a", NULL };
	static char *envp[] = { NULL };
	const uint64_t vaddr = 0x10000;
	const size_t size = 16 * 1024;
	struct elf_auxv av[] = { { AT_PLATFORM, 0 }, { AT_PAGESZ, 4096 } };
	struct elf_stack_in in = {
		.argv = argv, .argc = 1, .envp = envp, .envc = 0,
		.execfn = "./a", .platform = NULL, .auxv = av, .nauxv = 2,
	};
	struct elf_stack_out out;
	unsigned char *mem = calloc(1, size), *big_arg;
	char *bigv[2] = { NULL, NULL };
	char err[128];

	REQUIRE(mem);
	/* no platform string: AT_PLATFORM left out */
	REQUIRE(elf_build_stack(mem, vaddr, size, &in, &out, err,
				sizeof(err)) == 0);
	CHECK_U64(out.sp % 16, 0);
	CHECK_U64(out.auxv_size, 2 * 16);
	CHECK_U64(at(mem, vaddr, out.auxv), AT_PAGESZ);
	CHECK_U64(at(mem, vaddr, out.sp + 16), 0);	/* envp[0] */
	CHECK_U64(out.env_start, out.env_end);
	/* an even number of words: still 16-aligned */
	in.argc = 0;
	argv[0] = NULL;
	REQUIRE(elf_build_stack(mem, vaddr, size, &in, &out, err,
				sizeof(err)) == 0);
	CHECK_U64(out.sp % 16, 0);
	CHECK_U64(at(mem, vaddr, out.sp), 0);
	/* more than a quarter of the stack */
	big_arg = malloc(size / 4);
	REQUIRE(big_arg);
	memset(big_arg, 'x', size / 4 - 1);
	big_arg[size / 4 - 1] = '\0';
	bigv[0] = (char *)big_arg;
	in.argv = bigv;
	in.argc = 1;
	CHECK(elf_build_stack(mem, vaddr, size, &in, &out, err,
			      sizeof(err)) == -1);
	CHECK_CONTAINS(err, "argument list too long");
	free(big_arg);
	free(mem);
}

static void test_auxv_for(void)
{
	/* what Linux 6.1 gives a dynamic PIE (values made up) */
	static const struct elf_auxv self[] = {
		{ AT_SYSINFO_EHDR, 0x7ff000 }, { AT_MINSIGSTKSZ, 3632 },
		{ AT_HWCAP, 0x1fcbfbfd }, { AT_PAGESZ, 4096 },
		{ AT_CLKTCK, 100 }, { AT_PHDR, 0x55040 }, { AT_PHENT, 56 },
		{ AT_PHNUM, 13 }, { AT_BASE, 0x7f000 }, { AT_FLAGS, 0 },
		{ AT_ENTRY, 0x553d0 }, { AT_UID, 1000 }, { AT_EUID, 1000 },
		{ AT_GID, 100 }, { AT_EGID, 100 }, { AT_SECURE, 0 },
		{ AT_RANDOM, 0x7ffd01 }, { AT_HWCAP2, 2 },
		{ AT_EXECFN, 0x7ffd02 }, { AT_PLATFORM, 0x7ffd03 },
		{ 27, 0x1c }, { 28, 0x20 }, { AT_EXECFD, 3 }, { AT_NULL, 0 },
		{ AT_UID, 5 },			/* past AT_NULL: not read */
	};
	const struct elf_aux_prog p = {
		.phdr = 0x400040, .phnum = 9, .base = 0, .entry = 0x401000,
		.page_size = 4096,
	};
	struct elf_auxv out[32];
	size_t n, i;

	n = elf_auxv_for(self, ARRAY_SIZE(self), &p, out, 32);
	REQUIRE(n == 22);		/* AT_EXECFD and AT_NULL left out */
	for (i = 0; i < n; i++)
		CHECK_U64(out[i].type, self[i].type);
	CHECK_U64(out[0].value, 0x7ff000);	/* the loader's vDSO */
	CHECK_U64(out[2].value, 0x1fcbfbfd);	/* the kernel's AT_HWCAP */
	CHECK_U64(out[5].value, 0x400040);
	CHECK_U64(out[7].value, 9);
	CHECK_U64(out[8].value, 0);
	CHECK_U64(out[10].value, 0x401000);
	CHECK_U64(out[11].value, 1000);
	CHECK_U64(out[16].value, 0);		/* filled in by the stack */
	CHECK_U64(out[18].value, 0);
	CHECK_U64(out[19].value, 0);
	CHECK_U64(out[20].value, 0x1c);		/* AT_RSEQ_FEATURE_SIZE */
	CHECK_U64(out[21].value, 0x20);
	/* a loader without them: the program's appended */
	n = elf_auxv_for(self, 3, &p, out, 32);
	REQUIRE(n == 12);
	CHECK_U64(out[3].type, AT_PHDR);
	CHECK_U64(out[11].type, AT_PAGESZ);
	CHECK_U64(out[11].value, 4096);
	/* never more than @max */
	CHECK_U64(elf_auxv_for(self, ARRAY_SIZE(self), &p, out, 4), 4);
}

void suite_elf(void)
{
	RUN(test_auxv_for);
	RUN(test_good_pie);
	RUN(test_good_static);
	RUN(test_bad_headers);
	RUN(test_bad_segments);
	RUN(test_many_loads);
	RUN(test_bad_interp);
	RUN(test_stack_layout);
	RUN(test_stack_variants);
}
