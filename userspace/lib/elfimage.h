/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF executables for "ivma exec": the checks of an x86-64 program's ELF
 * header and program headers, and what the loader needs of them. Pure
 * functions: they look only at the bytes they are given.
 *
 * A program is refused, with a message that says why, when it is not an
 * ELF file, not 64-bit little-endian, not x86-64, not an executable
 * (ET_EXEC or ET_DYN), when its program headers do not fit the file, when
 * a PT_LOAD segment lies past the end of the file, has p_filesz >
 * p_memsz, is misaligned (p_vaddr and p_offset differ modulo the page
 * size, or p_align is not a power of two), lies outside the user address
 * space, or overlaps (or shares a page with) the segment before it, when
 * there is no PT_LOAD, when the entry point is not in an executable
 * segment, when the program headers are not in a loaded segment (AT_PHDR
 * must point at them), or when PT_INTERP is malformed.
 */
#ifndef IVMA_ELFIMAGE_H
#define IVMA_ELFIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_LOADS	32		/* PT_LOAD segments, at most */
#define ELF_EHDR_SIZE	64		/* sizeof(Elf64_Ehdr) */
#define ELF_PHDR_SIZE	56		/* sizeof(Elf64_Phdr) */
#define ELF_PHDRS_MAX	65536		/* bytes of program headers (as Linux) */
#define ELF_USER_TOP	0x7ffffffff000ULL /* x86-64 TASK_SIZE, 4 levels */
#define ELF_INTERP_MAX	4096		/* PATH_MAX */

/* One PT_LOAD segment. */
struct elf_seg {
	uint64_t vaddr, memsz;		/* p_vaddr, p_memsz */
	uint64_t offset, filesz;	/* p_offset, p_filesz */
	uint64_t align;			/* p_align */
	uint32_t flags;			/* PF_R, PF_W, PF_X */
	unsigned int index;		/* its program header's index */
};

struct elf_image {
	uint16_t type;			/* ET_EXEC or ET_DYN */
	uint64_t entry;			/* e_entry */
	uint64_t phoff;			/* e_phoff */
	uint16_t phnum;			/* e_phnum */
	uint64_t phdr_vaddr;		/* where the program headers are */
	struct elf_seg seg[ELF_MAX_LOADS];
	size_t nseg;			/* PT_LOADs with p_memsz > 0 */
	uint64_t lo, hi;		/* page-aligned span of the segments */
	uint64_t max_align;		/* largest power-of-two p_align, >= page */
	bool has_interp;
	uint64_t interp_offset, interp_len;	/* PT_INTERP, NUL included */
	bool exec_stack;		/* PT_GNU_STACK with PF_X */
};

/*
 * elf_parse_header - checks the ELF header in @buf (@len bytes read from
 * the start of a file of @file_size bytes: ELF_EHDR_SIZE, or fewer when
 * the file is shorter) and fills in img->type, entry, phoff and phnum.
 * Returns 0, or -1 with a message in @err.
 */
int elf_parse_header(const unsigned char *buf, size_t len, uint64_t file_size,
		     struct elf_image *img, char *err, size_t errsz);

/*
 * elf_parse_phdrs - checks the img->phnum program headers in @buf (@len
 * bytes read from img->phoff) for a page size of @page_size, and fills in
 * the rest of @img. Returns 0, or -1 with a message in @err.
 */
int elf_parse_phdrs(struct elf_image *img, const unsigned char *buf,
		    size_t len, uint64_t file_size, uint64_t page_size,
		    char *err, size_t errsz);

/*
 * elf_check_interp - the PT_INTERP contents @buf (@len bytes): a path,
 * not empty, whose last byte is a NUL (as Linux wants; the path is the
 * string up to the first NUL). Returns 0, or -1 with a message in @err.
 */
int elf_check_interp(const char *buf, size_t len, char *err, size_t errsz);

/* "text", "rodata", "data" or "bss" for the segment's flags and sizes. */
const char *elf_seg_label(const struct elf_seg *s);

/* Page-aligned bounds of @s. */
uint64_t elf_seg_start(const struct elf_seg *s, uint64_t page_size);
uint64_t elf_seg_end(const struct elf_seg *s, uint64_t page_size);

#endif /* IVMA_ELFIMAGE_H */
